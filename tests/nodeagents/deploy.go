package nodeagents

import (
	"context"
	"time"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
)

// Deploy applies deploy/'s node agents (from the folder dir) to the bed
// and waits until one is ready on each of nodes nodes.
func Deploy(ctx context.Context, config *rest.Config, dir string, bed Bed, nodes int) error {
	objs, err := Load(dir)
	if err != nil {
		return err
	}
	if err := Adapt(objs, bed); err != nil {
		return err
	}
	if err := Apply(ctx, config, objs); err != nil {
		return err
	}
	kube, err := kubernetes.NewForConfig(config)
	if err != nil {
		return err
	}
	ns := bed.Namespace
	if ns == "" {
		ns = "cairn"
	}
	wctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	return WaitReady(wctx, kube, ns, nodes)
}
