package cli

import (
	"context"
	"log/slog"
	"time"

	"k8s.io/client-go/discovery"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/locations"
	"github.com/cairn-backup/cairn/starter"
	"github.com/cairn-backup/cairn/starter/face"
	"github.com/cairn-backup/cairn/worker"
	"github.com/cairn-backup/cairn/worker/buildinfo"
)

// runFace runs Cairn's Kubernetes face (package face) for the install
// namespace of store until ctx ends, with its own Temporal connection and
// a full sync every sync; a face that cannot start is logged and leaves
// the worker running.
func runFace(ctx context.Context, rc *rest.Config, store *locations.Store, cfg worker.Config, sync time.Duration) {
	log := cfg.Logger
	f, closeFace, err := newFace(rc, store, cfg, log)
	if err != nil {
		log.Error("the Kubernetes face (velero.io/v1 objects) cannot start", "error", err)
		return
	}
	defer closeFace()
	f.Sync = sync
	if err := f.Run(ctx); err != nil && ctx.Err() == nil {
		log.Error("the Kubernetes face (velero.io/v1 objects) stopped", "error", err)
	}
}

func newFace(rc *rest.Config, store *locations.Store, cfg worker.Config, log *slog.Logger) (*face.Face, func(), error) {
	dyn, err := dynamic.NewForConfig(rc)
	if err != nil {
		return nil, nil, err
	}
	disc, err := discovery.NewDiscoveryClientForConfig(rc)
	if err != nil {
		return nil, nil, err
	}
	c, err := cfg.Dial(log)
	if err != nil {
		return nil, nil, err
	}
	warn := func(err error) { log.Warn("reading backup records", "error", err) }
	sc := &starter.Client{Temporal: c, Locations: activities.KubeLocations{Store: store}, Warn: warn, Cluster: cfg.ClusterName}
	f := &face.Face{
		Dynamic: dyn, Discovery: disc, Namespace: store.Namespace(), Cairn: sc, Locations: store,
		Version: buildinfo.Get().Version, Logger: log.With("component", "face"),
	}
	return f, c.Close, nil
}
