package testbed

import (
	"context"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cairn-backup/cairn/activities/locations"
	"github.com/cairn-backup/cairn/worker"
)

// InstallCairn readies the bed for Cairn as a test sees it: the process's
// clients (the CLI run in-process, the worker, the node agents) point at the
// bed's apiserver and Temporal with Cairn's namespace ns for the rest of the
// test; ns is created, with a default backup storage location on the bed's
// bucket under prefix. It returns the store of ns's locations.
func (b *Bed) InstallCairn(t testing.TB, ctx context.Context, ns, prefix string) *locations.Store {
	t.Helper()
	t.Setenv("KUBECONFIG", b.Kubeconfig)
	t.Setenv(locations.NamespaceEnv, ns)
	t.Setenv(worker.AddressEnv, b.Temporal.HostPort())
	t.Setenv(worker.NamespaceEnv, b.Temporal.Namespace())
	if _, err := b.Kube.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	store := locations.NewStore(b.Kube, ns)
	if _, err := store.Create(ctx, locations.Location{
		Name: "default",
		Spec: locations.Spec{
			Provider: locations.ProviderAWS, Bucket: b.S3.Bucket, Prefix: prefix, Default: true,
			Config: map[string]string{locations.ConfigS3URL: b.S3.URL, locations.ConfigRegion: b.S3.Region, locations.ConfigS3ForcePathStyle: "true"},
		},
		CredentialsFile: locations.Sensitive(b.S3.CredentialsFile()),
	}); err != nil {
		t.Fatal(err)
	}
	return store
}
