package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"time"

	"go.temporal.io/sdk/testsuite"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/locations"
)

// inProcess runs the four activities of a backup and a restore in this
// process, with the clients built as `cairn server` builds them (client-go's
// default QPS and burst unless qps is set), and prints each activity's time
// with the apiserver and S3 requests it made.
func inProcess(id string, qps float32, burst int) error {
	var kube, s3 calls
	proxy, err := s3Proxy(&s3)
	if err != nil {
		return err
	}
	http.DefaultTransport.(*http.Transport).Proxy = http.ProxyURL(proxy)
	rc, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(clientcmd.NewDefaultClientConfigLoadingRules(), nil).ClientConfig()
	if err != nil {
		return err
	}
	if qps != 0 {
		rc.QPS, rc.Burst = qps, burst
	}
	rc.Wrap(func(rt http.RoundTripper) http.RoundTripper {
		return &tracing{next: rt, calls: &kube, label: kubeLabel}
	})
	dyn, err := dynamic.NewForConfig(rc)
	if err != nil {
		return err
	}
	disc, err := discovery.NewDiscoveryClientForConfig(rc)
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
	r := &activities.Resources{Dynamic: dyn, Discovery: disc, Locations: activities.KubeLocations{Store: locations.NewStore(cs, ns)}}
	env := (&testsuite.WorkflowTestSuite{}).NewTestActivityEnvironment()
	env.RegisterActivity(r)

	limits := "client-go defaults (QPS 5, burst 10)"
	if qps != 0 {
		limits = fmt.Sprintf("QPS %g, burst %d", qps, burst)
	}
	fmt.Printf("\nin-process activities, %s:\n", limits)
	name, restore := "inproc-"+id, "inproc-"+id+"-restore"
	spec := activities.BackupSpec{LabelSelector: "app=nginx"}
	step := func(what string, fn func() error) error {
		kube.reset()
		s3.reset()
		start := time.Now()
		err := fn()
		fmt.Printf("    %-18s %7.1f ms\n", what, float64(time.Since(start).Microseconds())/1000)
		kube.print("apiserver")
		s3.print("S3")
		return err
	}
	if err := step("Resolve+OpenRepo", func() error { return openRepo(r.Locations) }); err != nil {
		return err
	}
	var plan activities.ValidateBackupResult
	if err := step("ValidateBackup", func() error {
		v, err := env.ExecuteActivity(r.ValidateBackup, activities.ValidateBackupInput{Name: name, Spec: spec})
		if err == nil {
			err = v.Get(&plan)
		}
		return err
	}); err != nil {
		return err
	}
	if err := step("BackupResources", func() error {
		_, err := env.ExecuteActivity(r.BackupResources, activities.BackupResourcesInput{
			Name: name, Spec: spec, StorageLocation: plan.StorageLocation, TTL: plan.TTL})
		return err
	}); err != nil {
		return err
	}
	if err := kubectl("delete", "namespace", namespace, "--wait=true", "--timeout=120s"); err != nil {
		return err
	}
	rspec := activities.RestoreSpec{BackupName: name}
	var rplan activities.ValidateRestoreResult
	if err := step("ValidateRestore", func() error {
		v, err := env.ExecuteActivity(r.ValidateRestore, activities.ValidateRestoreInput{Name: restore, Spec: rspec})
		if err == nil {
			err = v.Get(&rplan)
		}
		return err
	}); err != nil {
		return err
	}
	if err := step("RestoreResources", func() error {
		_, err := env.ExecuteActivity(r.RestoreResources, activities.RestoreResourcesInput{
			Name: restore, Spec: rspec, StorageLocation: rplan.StorageLocation})
		return err
	}); err != nil {
		return err
	}
	return kubectl("-n", namespace, "rollout", "status", "deployment/nginx-deployment", "--timeout=120s")
}

// openRepo times what each resource activity does first: resolve the
// default location (ConfigMap, Secrets) and open its resources repository
// (the key file's scrypt derivation and the index).
func openRepo(locs activities.LocationResolver) error {
	ctx := context.Background()
	start := time.Now()
	st, err := locs.Resolve(ctx, "")
	if err != nil {
		return err
	}
	resolved := time.Since(start)
	_, closeRepo, err := st.OpenRepo(ctx, false)
	if err != nil {
		return err
	}
	closeRepo()
	fmt.Printf("      resolve %.1f ms, open the repository %.1f ms\n",
		float64(resolved.Microseconds())/1000, float64((time.Since(start)-resolved).Microseconds())/1000)
	return nil
}
