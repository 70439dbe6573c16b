// Command resourcejob runs one resource backup or restore described by a
// JSON job on standard input and prints its result as JSON. The resources
// benchmark (make bench-resources) runs it as a child process so that the
// peak RSS it measures is that of the work alone.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"k8s.io/client-go/discovery"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/cairn-backup/cairn/activities/resources/backup"
	"github.com/cairn-backup/cairn/activities/resources/filter"
	"github.com/cairn-backup/cairn/activities/resources/metadata"
	"github.com/cairn-backup/cairn/activities/resources/restore"
	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/backend/s3"
)

// job is one backup or restore.
type job struct {
	Op         string // "backup" or "restore"
	Kubeconfig string
	Repo       s3.Config
	Store      s3.Config
	Backup     string
	Namespaces []string // backup: included namespaces
	Mapping    map[string]string
}

func main() {
	var j job
	if err := json.NewDecoder(os.Stdin).Decode(&j); err != nil {
		fmt.Fprintln(os.Stderr, "resourcejob: reading the job:", err)
		os.Exit(2)
	}
	out, err := j.run(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, "resourcejob:", err)
		os.Exit(1)
	}
	_ = json.NewEncoder(os.Stdout).Encode(out)
}

func (j job) run(ctx context.Context) (any, error) {
	cfg, err := clientcmd.BuildConfigFromFlags("", j.Kubeconfig)
	if err != nil {
		return nil, err
	}
	cfg.QPS, cfg.Burst, cfg.WarningHandler = 1000, 2000, rest.NoWarnings{}
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	disc, err := discovery.NewDiscoveryClientForConfig(cfg)
	if err != nil {
		return nil, err
	}
	be, err := s3.Open(ctx, j.Repo)
	if err != nil {
		return nil, err
	}
	r, err := repo.Open(ctx, be, "bench", repo.Options{})
	if err != nil {
		return nil, err
	}
	defer r.Close()
	objects, err := metadata.NewS3Store(j.Store)
	if err != nil {
		return nil, err
	}
	store := metadata.Store{Objects: objects}
	switch j.Op {
	case "backup":
		return backup.Run(ctx, backup.Options{Name: j.Backup, Spec: filter.Spec{IncludedNamespaces: j.Namespaces},
			Client: dyn, Discovery: disc, Repo: r, Store: store})
	case "restore":
		return restore.Run(ctx, restore.Options{Name: "r-" + j.Backup, BackupName: j.Backup, NamespaceMapping: j.Mapping,
			Client: dyn, Discovery: disc, Repo: r, Store: store})
	}
	return nil, fmt.Errorf("unknown op %q: use backup or restore", j.Op)
}
