package restore

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cairn-backup/cairn/activities/resources/archive"
	"github.com/cairn-backup/cairn/activities/resources/filter"
	"github.com/cairn-backup/cairn/activities/resources/metadata"
	"github.com/cairn-backup/cairn/repo"
)

// Result is the outcome of a restore: counts only.
type Result struct {
	Name, BackupName string
	Phase            string
	Total            int // objects the filters selected
	Created          int
	Updated          int
	Skipped          int // already there and left alone
	Failed           int
	Errors, Warnings int
}

// Run validates everything (options, filters against discovery and the
// backup's CRDs, the backup's existence) before writing anything, then
// restores and stores the restore's log, results, resource list and, when
// opts.Record is set, record.
func Run(ctx context.Context, opts Options) (Result, error) {
	res := Result{Name: opts.Name, BackupName: opts.BackupName, Phase: metadata.PhaseFailedValidation}
	if err := validateStatic(&opts); err != nil {
		return res, err
	}
	start := opts.Now()
	r, err := prepare(ctx, opts)
	if err != nil {
		return res, err
	}
	res.Phase = metadata.PhaseInProgress
	runErr := r.run(ctx)
	res = r.result()
	if runErr != nil {
		res.Phase = metadata.PhaseFailed
		r.rec.Error("", "restore failed: %v", runErr)
	}
	results := r.rec.Results()
	res.Errors, res.Warnings = results.Errors.Count(), results.Warnings.Count()
	perr := opts.Store.PutRestore(ctx, metadata.RestoreFiles{Name: opts.Name, Log: r.rec.Log(), Results: results, ResourceList: r.list.List(),
		Record: fillRecord(opts.Record, res, runErr, start, opts.Now())})
	if runErr != nil {
		return res, fmt.Errorf("restore %s: %w", opts.Name, runErr)
	}
	if perr != nil {
		res.Phase = metadata.PhaseFailed
		return res, fmt.Errorf("restore %s: %w", opts.Name, perr)
	}
	return res, nil
}

// fillRecord sets the status of record, when there is one, from the
// restore's outcome.
func fillRecord(record *metadata.Restore, res Result, runErr error, start, end time.Time) *metadata.Restore {
	if record == nil {
		return nil
	}
	out := *record
	out.Metadata.Name = res.Name
	out.Spec.BackupName = res.BackupName
	st := &out.Status
	st.Phase, st.Errors, st.Warnings = res.Phase, res.Errors, res.Warnings
	st.StartTimestamp, st.CompletionTimestamp = &metav1.Time{Time: start}, &metav1.Time{Time: end}
	st.Progress = &metadata.RestoreProgress{TotalItems: res.Total, ItemsRestored: res.Created + res.Updated}
	st.ItemsCreated, st.ItemsUpdated, st.ItemsSkipped, st.ItemsFailed = res.Created, res.Updated, res.Skipped, res.Failed
	if runErr != nil {
		st.FailureReason = runErr.Error()
	}
	return &out
}

// restorer is one restore in progress.
type restorer struct {
	opts Options
	plan *plan
	rec  *metadata.Recorder
	list metadata.ResourceListBuilder

	fsClaims    map[string]bool // "ns/name"
	toProvision sync.Map        // PV names whose claims get a new volume
	nsMu        sync.Mutex
	nsDone      map[string]nsState // target namespace -> outcome of ensuring it

	mu                                      sync.Mutex
	total, created, updated, skipped, fails int
}

// prepare does every check that needs the server or the backup.
func prepare(ctx context.Context, opts Options) (*restorer, error) {
	cat, warnings, err := filter.Discover(ctx, opts.Discovery)
	if err != nil {
		return nil, fmt.Errorf("restore %s: %w", opts.Name, err)
	}
	b, err := opts.Store.GetBackup(ctx, opts.BackupName)
	if err != nil {
		return nil, fmt.Errorf("restore %s: %w", opts.Name, err)
	}
	if b.Status.Phase != metadata.PhaseCompleted && b.Status.Phase != metadata.PhasePartiallyFailed {
		return nil, fmt.Errorf("restore %s: backup %s is %s, not Completed or PartiallyFailed", opts.Name, b.Metadata.Name, b.Status.Phase)
	}
	id, err := repo.ParseID(b.SnapshotID())
	if err != nil {
		return nil, fmt.Errorf("restore %s: backup %s names no valid snapshot: %w", opts.Name, b.Metadata.Name, err)
	}
	rd, err := archive.Open(ctx, opts.Repo, id)
	if err != nil {
		return nil, fmt.Errorf("restore %s: %w", opts.Name, err)
	}
	items, err := rd.Items(ctx)
	if err != nil {
		return nil, fmt.Errorf("restore %s: %w", opts.Name, err)
	}
	p := &plan{reader: rd, byRes: map[string][]archive.ItemRef{}, cat: cat, nsObjs: map[string]archive.ItemRef{}}
	if err := p.prefetchSmall(ctx, items); err != nil {
		return nil, fmt.Errorf("restore %s: %w", opts.Name, err)
	}
	for _, it := range items {
		p.byRes[it.Resource] = append(p.byRes[it.Resource], it)
		if it.Resource == filter.Namespaces.String() {
			p.nsObjs[it.Name] = it
		}
	}
	if err := p.addBackedUpCRDs(ctx); err != nil {
		return nil, fmt.Errorf("restore %s: %w", opts.Name, err)
	}
	if p.filter, err = filter.Compile(cat, opts.Spec); err != nil {
		return nil, fmt.Errorf("restore %s: %w", opts.Name, err)
	}
	if len(opts.StatusIncludedResources) > 0 {
		p.status, err = filter.Compile(cat, filter.Spec{IncludedResources: opts.StatusIncludedResources, ExcludedResources: opts.StatusExcludedResources})
		if err != nil {
			return nil, fmt.Errorf("restore %s: status resources: %w", opts.Name, err)
		}
	}
	if p.filter.ClusterMode() == filter.ClusterAuto && !p.filter.Namespaces().All() {
		if err := p.findRelated(ctx); err != nil {
			return nil, fmt.Errorf("restore %s: %w", opts.Name, err)
		}
	}
	p.order = Order(opts.Priorities, slices.Collect(maps.Keys(p.byRes)))
	r := &restorer{opts: opts, plan: p, fsClaims: map[string]bool{}, nsDone: map[string]nsState{},
		rec: metadata.NewRecorder(func() string { return opts.Now().UTC().Format(time.RFC3339) })}
	for _, c := range opts.PodVolumeClaims {
		r.fsClaims[c] = true
	}
	for _, w := range warnings {
		r.rec.Warn("", "%s", w)
	}
	return r, nil
}

// run restores resource after resource in priority order.
func (r *restorer) run(ctx context.Context) error {
	r.rec.Info("restoring backup %s as %s: %s", r.opts.BackupName, r.opts.Name, strings.Join(r.plan.order, ", "))
	for _, name := range r.plan.order {
		if neverRestored(name) {
			r.rec.Info("not restoring %s: Velero never restores them", name)
			continue
		}
		if err := r.restoreResource(ctx, name); err != nil {
			return err
		}
	}
	return nil
}

// restoreResource applies the objects of one resource with bounded
// parallelism.
func (r *restorer) restoreResource(ctx context.Context, name string) error {
	items := r.plan.byRes[name]
	if len(items) == 0 {
		return nil
	}
	res := r.plan.resource(name, items[0].Namespace != "")
	var crdErr error
	if res.Group != "" {
		crdErr = r.waitForCRD(ctx, res)
	}
	for batch := range slices.Chunk(items, prefetchBatch) {
		blobs, err := r.plan.prefetch(ctx, batch)
		if err != nil {
			return err
		}
		g, gctx := errgroup.WithContext(ctx)
		g.SetLimit(r.opts.Parallel)
		for _, it := range batch {
			g.Go(func() error {
				r.restoreItem(gctx, res, blobs, it, crdErr)
				return gctx.Err()
			})
		}
		if err := g.Wait(); err != nil && !errors.Is(err, context.Canceled) {
			return err
		}
	}
	return ctx.Err()
}

// prefetchBatch is how many objects' blobs are read ahead at once.
const prefetchBatch = 1000

func (r *restorer) result() Result {
	r.mu.Lock()
	defer r.mu.Unlock()
	phase := metadata.PhaseCompleted
	if r.rec.Results().Errors.Count() > 0 {
		phase = metadata.PhasePartiallyFailed
	}
	return Result{Name: r.opts.Name, BackupName: r.opts.BackupName, Phase: phase, Total: r.total,
		Created: r.created, Updated: r.updated, Skipped: r.skipped, Failed: r.fails}
}
