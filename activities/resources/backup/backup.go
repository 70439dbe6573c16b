package backup

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"strings"
	"sync/atomic"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/dynamic"

	"github.com/cairn-backup/cairn/activities/resources/archive"
	"github.com/cairn-backup/cairn/activities/resources/collect"
	"github.com/cairn-backup/cairn/activities/resources/filter"
	"github.com/cairn-backup/cairn/activities/resources/metadata"
	"github.com/cairn-backup/cairn/repo"
)

// Options configures Run.
type Options struct {
	Name      string
	Spec      filter.Spec
	Client    dynamic.Interface
	Discovery discovery.DiscoveryInterface
	Repo      archive.Saver
	Store     metadata.Store
	// StorageLocation and TTL go into the record (TTL 720h when zero), and
	// Labels and Annotations into its metadata.
	StorageLocation string
	TTL             time.Duration
	Labels          map[string]string
	Annotations     map[string]string
	// Parent is the previous snapshot of the same schedule, if any.
	Parent   *repo.ID
	PageSize int64
	// PodVolumeBackups are the outcomes of the backup's pod volume backups,
	// taken before Run: they are stored with the record, and each failed
	// one is an error of the backup.
	PodVolumeBackups []metadata.PodVolumeBackup
	// Hooks are the outcomes of the backup's exec hooks, run before Run:
	// each is logged, a failed one with on-error Fail is an error and one
	// with Continue a warning, and a pod whose pre hook failed with Fail is
	// not backed up, as Velero leaves it out.
	Hooks []metadata.HookResult
	// Dumps are the outcomes of the backup's application dumps, stored
	// with the record; each failed one is an error.
	Dumps []metadata.PodDump
	Now   func() time.Time
	// Stored, when set, counts the items stored so far, for a caller that
	// shows the backup's progress while it runs.
	Stored *atomic.Int64
}

// Result is the outcome of a backup.
type Result struct {
	Name       string
	Phase      string
	SnapshotID string
	Items      int
	ByResource map[string]int
	Errors     int
	Warnings   int
	// Bytes is the size of the backed-up objects' JSON.
	Bytes uint64
}

// Validate checks the options and compiles the filter, before any work.
func Validate(ctx context.Context, opts Options) (*filter.Catalog, *filter.Filter, []string, error) {
	if opts.Name == "" || strings.ContainsAny(opts.Name, "/\\") || opts.Name == "." || opts.Name == ".." {
		return nil, nil, nil, fmt.Errorf("invalid backup name %q", opts.Name)
	}
	if opts.Client == nil || opts.Discovery == nil || opts.Repo == nil || opts.Store.Objects == nil {
		return nil, nil, nil, fmt.Errorf("backup %s: client, discovery, repository and store are required", opts.Name)
	}
	if _, err := metadata.SelectorFor(opts.Spec.LabelSelector); err != nil {
		return nil, nil, nil, fmt.Errorf("backup %s: label selector: %w", opts.Name, err)
	}
	cat, warnings, err := filter.Discover(ctx, opts.Discovery)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("backup %s: %w", opts.Name, err)
	}
	f, err := filter.Compile(cat, opts.Spec)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("backup %s: %w", opts.Name, err)
	}
	return cat, f, warnings, nil
}

// Run validates the options, refuses a name that already has a record,
// collects the objects into a snapshot and stores the record, log, results
// and resource list. Invalid options return an error before any work; a
// failure after the work started returns the error and, when possible, a
// Failed record.
func Run(ctx context.Context, opts Options) (Result, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.TTL == 0 {
		opts.TTL = 720 * time.Hour
	}
	cat, f, warnings, err := Validate(ctx, opts)
	if err != nil {
		return Result{Name: opts.Name, Phase: metadata.PhaseFailedValidation}, err
	}
	if _, err := opts.Store.GetBackup(ctx, opts.Name); err == nil {
		return Result{Name: opts.Name, Phase: metadata.PhaseFailedValidation}, fmt.Errorf("backup %s already exists", opts.Name)
	}
	start := opts.Now()
	rec := metadata.NewRecorder(func() string { return opts.Now().UTC().Format(time.RFC3339) })
	for _, w := range warnings {
		rec.Warn("", "%s", w)
	}
	rec.Info("starting backup %s", opts.Name)
	for _, v := range opts.PodVolumeBackups {
		switch v.Phase {
		case metadata.VolumeFailed:
			rec.Error(v.Namespace, "pod volume backup of %s/%s volume %s failed: %s", v.Namespace, v.Pod, v.Volume, v.Error)
		case metadata.VolumeSkipped: // as Velero, a warning: the volume was asked for
			rec.Warn(v.Namespace, "pod volume %s/%s %s skipped: %s", v.Namespace, v.Pod, v.Volume, v.Error)
		default:
			rec.Info("pod volume %s/%s %s: snapshot %s, %d files, %d bytes", v.Namespace, v.Pod, v.Volume, v.SnapshotID, v.Files, v.Bytes)
		}
	}
	excluded := logHooks(rec, opts.Hooks)
	logDumps(rec, opts.Dumps)
	w := archive.NewWriter(ctx, opts.Repo)
	var list metadata.ResourceListBuilder
	stats, err := collect.Collect(ctx, collect.Options{Client: opts.Client, Catalog: cat, Filter: f, PageSize: opts.PageSize},
		func(ctx context.Context, it collect.Item) error {
			if it.Resource.GroupResource() == pods && excluded[it.Object.GetNamespace()+"/"+it.Object.GetName()] {
				rec.Error(it.Object.GetNamespace(), "pod %s/%s is not backed up: a pre hook with on-error Fail failed",
					it.Object.GetNamespace(), it.Object.GetName())
				return nil
			}
			data, err := json.Marshal(it.Object.Object)
			if err != nil {
				return fmt.Errorf("encoding %s %s/%s: %w", it.Resource.Name(), it.Object.GetNamespace(), it.Object.GetName(), err)
			}
			err = w.AddItem(ctx, archive.Item{Resource: it.Resource.Name(), Version: it.Resource.Version,
				Namespace: it.Object.GetNamespace(), Name: it.Object.GetName(), Data: data})
			if err != nil {
				return err
			}
			list.Add(it.Object.GetAPIVersion(), it.Object.GetKind(), it.Object.GetNamespace(), it.Object.GetName())
			rec.Item("Backed up item", it.Resource.Name(), it.Object.GetNamespace(), it.Object.GetName())
			if opts.Stored != nil {
				opts.Stored.Add(1)
			}
			return nil
		})
	for _, p := range stats.Problems {
		if p.Warning {
			rec.Warn(p.Namespace, "%s", p.Message)
		} else {
			rec.Error(p.Namespace, "%s", p.Message)
		}
	}
	var ar archive.Result
	if err == nil {
		ar, err = w.Finish(ctx, archive.Meta{
			Time: start, Hostname: hostname(), Tags: []string{"cairn-resources", "backup=" + opts.Name},
			Paths: []string{"/backups/" + opts.Name}, Parent: opts.Parent,
		})
	}
	res := Result{Name: opts.Name, Items: stats.Items, ByResource: stats.ByKind}
	record := newRecord(opts, start)
	if err != nil {
		rec.Error("", "backup failed: %v", err)
		res.Phase = metadata.PhaseFailed
		record.Status.Phase, record.Status.FailureReason = metadata.PhaseFailed, err.Error()
	} else {
		res.SnapshotID, res.Bytes = ar.SnapshotID.String(), ar.Bytes
		record.Metadata.Annotations = maps.Clone(opts.Annotations)
		if record.Metadata.Annotations == nil {
			record.Metadata.Annotations = map[string]string{}
		}
		record.Metadata.Annotations[metadata.SnapshotAnnotation] = res.SnapshotID
		res.Phase = metadata.PhaseCompleted
		if rec.Results().Errors.Count() > 0 {
			res.Phase = metadata.PhasePartiallyFailed
		}
		record.Status.Phase = res.Phase
		rec.Info("backup %s: %d items in snapshot %s", opts.Name, stats.Items, ar.SnapshotID.Str())
	}
	results := rec.Results()
	res.Errors, res.Warnings = results.Errors.Count(), results.Warnings.Count()
	record.Status.Errors, record.Status.Warnings = res.Errors, res.Warnings
	record.Status.Progress = &metadata.BackupProgress{TotalItems: stats.Items, ItemsBackedUp: stats.Items}
	record.Status.HookStatus = metadata.CountHooks(opts.Hooks)
	record.Status.CompletionTimestamp = &metav1.Time{Time: opts.Now()}
	perr := opts.Store.PutBackup(ctx, metadata.BackupFiles{Record: record, Log: rec.Log(), Results: results, ResourceList: list.List(),
		PodVolumeBackups: opts.PodVolumeBackups, Dumps: opts.Dumps})
	if err != nil {
		return res, fmt.Errorf("backup %s: %w", opts.Name, err)
	}
	if perr != nil {
		res.Phase = metadata.PhaseFailed
		return res, fmt.Errorf("backup %s: %w", opts.Name, perr)
	}
	return res, nil
}

func hostname() string {
	h, err := os.Hostname()
	if err != nil {
		return "cairn"
	}
	return h
}

// newRecord fills in the record's spec from the options.
func newRecord(opts Options, start time.Time) *metadata.Backup {
	s := opts.Spec
	sel, _ := metadata.SelectorFor(s.LabelSelector)
	var or []*metav1.LabelSelector
	for _, o := range s.OrLabelSelectors {
		if ls, err := metadata.SelectorFor(o); err == nil && ls != nil {
			or = append(or, ls)
		}
	}
	return &metadata.Backup{
		APIVersion: "velero.io/v1", Kind: "Backup",
		Metadata: metav1.ObjectMeta{Name: opts.Name, Namespace: "velero", CreationTimestamp: metav1.Time{Time: start},
			Labels: opts.Labels, Annotations: opts.Annotations},
		Spec: metadata.BackupSpec{
			IncludedNamespaces: s.IncludedNamespaces, ExcludedNamespaces: s.ExcludedNamespaces,
			IncludedResources: s.IncludedResources, ExcludedResources: s.ExcludedResources,
			IncludeClusterResources:          s.IncludeClusterResources,
			IncludedClusterScopedResources:   s.IncludedClusterScopedResources,
			ExcludedClusterScopedResources:   s.ExcludedClusterScopedResources,
			IncludedNamespaceScopedResources: s.IncludedNamespaceScopedResources,
			ExcludedNamespaceScopedResources: s.ExcludedNamespaceScopedResources,
			LabelSelector:                    sel, OrLabelSelectors: or, OrderedResources: s.OrderedResources,
			StorageLocation: opts.StorageLocation, TTL: metav1.Duration{Duration: opts.TTL},
		},
		Status: metadata.BackupStatus{
			Version: 1, FormatVersion: archive.FormatVersion, Phase: metadata.PhaseInProgress,
			StartTimestamp: &metav1.Time{Time: start}, Expiration: &metav1.Time{Time: start.Add(opts.TTL)},
		},
	}
}
