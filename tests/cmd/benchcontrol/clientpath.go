package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"go.temporal.io/sdk/client"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/locations"
	"github.com/cairn-backup/cairn/activities/resources/metadata"
	"github.com/cairn-backup/cairn/starter"
	"github.com/cairn-backup/cairn/workflows"
)

// clientPath times, in this process, the steps `cairn backup create --wait`
// takes around the workflow: dialing Temporal, looking for the name in the
// backup storage locations, starting the workflow and waiting for its
// result.
func clientPath(id string) error {
	ctx := context.Background()
	lap := func() func() string {
		start := time.Now()
		return func() string {
			d := time.Since(start)
			start = time.Now()
			return fmt.Sprintf("%7.1f ms", float64(d.Microseconds())/1000)
		}
	}()
	fmt.Printf("\nthe CLI's steps in this process (backup bench-%s-client):\n", id)
	tc, err := client.Dial(client.Options{HostPort: os.Getenv("CAIRN_TEMPORAL_ADDRESS"), Namespace: os.Getenv("CAIRN_TEMPORAL_NAMESPACE")})
	if err != nil {
		return err
	}
	defer tc.Close()
	fmt.Printf("    %-44s %s\n", "dial Temporal", lap())
	rc, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(clientcmd.NewDefaultClientConfigLoadingRules(), nil).ClientConfig()
	if err != nil {
		return err
	}
	cs, err := kubernetes.NewForConfig(rc)
	if err != nil {
		return err
	}
	ns := os.Getenv(locations.NamespaceEnv)
	if ns == "" {
		ns = locations.DefaultNamespace
	}
	locs := activities.KubeLocations{Store: locations.NewStore(cs, ns)}
	fmt.Printf("    %-44s %s\n", "load the kubeconfig", lap())
	name := "bench-" + id + "-client"
	if _, _, err := activities.FindBackup(ctx, locs, name, ""); !errors.Is(err, metadata.ErrBackupNotFound) {
		return fmt.Errorf("looking for %s: %v", name, err)
	}
	fmt.Printf("    %-44s %s\n", "FindBackup (the name is not taken)", lap())
	sc := &starter.Client{Temporal: tc}
	if err := sc.StartBackup(ctx, workflows.BackupInput{Name: name, Spec: activities.BackupSpec{LabelSelector: "app=nginx"}}); err != nil {
		return err
	}
	fmt.Printf("    %-44s %s\n", "start the workflow", lap())
	res, err := sc.WaitBackup(ctx, name)
	if err != nil {
		return err
	}
	fmt.Printf("    %-44s %s (%s)\n", "wait for the result", lap(), res.Phase)
	return nil
}
