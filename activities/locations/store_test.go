package locations_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/cairn-backup/cairn/activities/locations"
	"github.com/cairn-backup/cairn/tests/testbed"
)

// fixture is a store in a namespace of its own on the test bed.
type fixture struct {
	bed   *testbed.Bed
	kube  kubernetes.Interface
	ns    string
	store *locations.Store
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	bed := testbed.ForTest(t)
	buf := make([]byte, 4)
	rand.Read(buf)
	ns := "bsl-" + hex.EncodeToString(buf)
	ctx := context.Background()
	if _, err := bed.Kube.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = bed.Kube.CoreV1().Namespaces().Delete(context.Background(), ns, metav1.DeleteOptions{}) })
	return &fixture{bed: bed, kube: bed.Kube, ns: ns, store: locations.NewStore(bed.Kube, ns)}
}

// secret creates a Secret with one key.
func (f *fixture) secret(t *testing.T, name, key, value string) {
	t.Helper()
	_, err := f.kube.CoreV1().Secrets(f.ns).Create(context.Background(), &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Data:       map[string][]byte{key: []byte(value)},
	}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
}

// objects lists the names of the namespace's ConfigMaps and Secrets,
// leaving out the ones Kubernetes makes itself.
func (f *fixture) objects(t *testing.T) []string {
	t.Helper()
	ctx := context.Background()
	cms, err := f.kube.CoreV1().ConfigMaps(f.ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	secs, err := f.kube.CoreV1().Secrets(f.ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, cm := range cms.Items {
		if cm.Name != "kube-root-ca.crt" {
			names = append(names, "configmap/"+cm.Name)
		}
	}
	for _, s := range secs.Items {
		names = append(names, "secret/"+s.Name)
	}
	return names
}

// noSecretsInConfigMaps fails when any ConfigMap of the namespace holds one
// of the values.
func (f *fixture) noSecretsInConfigMaps(t *testing.T, values ...string) {
	t.Helper()
	cms, err := f.kube.CoreV1().ConfigMaps(f.ns).List(context.Background(), metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	scanned := 0
	for _, cm := range cms.Items {
		if cm.Labels[locations.Label] != "" {
			scanned++
		}
		var all strings.Builder
		for k, v := range cm.Data {
			all.WriteString(k + v)
		}
		for k, v := range cm.Annotations {
			all.WriteString(k + v)
		}
		for _, v := range values {
			if v != "" && strings.Contains(all.String(), v) {
				t.Errorf("configmap %s holds a secret value", cm.Name)
			}
		}
	}
	if scanned == 0 {
		t.Fatal("no location configmaps to scan")
	}
}

// seedOnBed is the seed's cephlocation, pointed at the test bed's S3 server
// with the credentials in Secret credential-file, key bsl.
func (f *fixture) seedOnBed(name string) locations.Location {
	cfg, err := locations.ParseConfig([]string{
		"region=" + f.bed.S3.Region,
		`region=` + f.bed.S3.Region + `,s3ForcePathStyle="true",s3Url=` + f.bed.S3.URL,
	})
	if err != nil {
		panic(err)
	}
	return locations.Location{Name: name, Spec: locations.Spec{
		Provider: locations.ProviderAWS, Bucket: f.bed.S3.Bucket, Prefix: "default", Config: cfg,
		Credential: &locations.SecretKeyRef{Name: "credential-file", Key: "bsl"},
	}}
}
