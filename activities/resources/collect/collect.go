package collect

import (
	"context"
	"fmt"
	"sync"

	"golang.org/x/sync/errgroup"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/dynamic"

	"github.com/cairn-backup/cairn/activities/resources/filter"
)

// DefaultPageSize is Velero's --client-page-size.
const DefaultPageSize = 500

// Item is one selected object.
type Item struct {
	Resource filter.Resource
	Object   *unstructured.Unstructured
}

// Sink receives the selected objects; it is called from several goroutines.
type Sink func(ctx context.Context, it Item) error

// Options configures Collect.
type Options struct {
	Client  dynamic.Interface
	Catalog *filter.Catalog
	Filter  *filter.Filter
	// PageSize is the list limit (DefaultPageSize when zero).
	PageSize int64
	// Parallel bounds the resources listed at once (8 when zero).
	Parallel int
}

// Problem is a non-fatal error (or, with Warning, a warning) about one
// resource or object.
type Problem struct {
	Namespace string // "" for cluster-scoped or general problems
	Message   string
	Warning   bool
}

// Stats counts what Collect did.
type Stats struct {
	Items    int            // objects handed to the sink
	ByKind   map[string]int // per group-resource
	Problems []Problem      // resources that could not be listed and the like
}

// Collect lists every selected object into sink. A resource that cannot be
// listed becomes a Problem and the others go on; a sink error or a cancelled
// ctx stops everything and is returned.
func Collect(ctx context.Context, opts Options, sink Sink) (Stats, error) {
	if opts.PageSize <= 0 {
		opts.PageSize = DefaultPageSize
	}
	if opts.Parallel <= 0 {
		opts.Parallel = 8
	}
	c := &collector{opts: opts, sink: sink, stats: Stats{ByKind: map[string]int{}},
		nsContent: map[string]bool{}, related: map[filter.Ref]bool{}, crdGroups: map[string]bool{}, accounts: map[string]bool{}}
	var namespaced, cluster []filter.Resource
	for _, r := range opts.Catalog.Resources() {
		if !r.Can("list") {
			continue
		}
		if r.Namespaced {
			namespaced = append(namespaced, r)
		} else {
			cluster = append(cluster, r)
		}
	}
	if err := c.namespacedPass(ctx, namespaced); err != nil {
		return c.stats, err
	}
	if err := c.clusterPass(ctx, cluster); err != nil {
		return c.stats, err
	}
	return c.stats, nil
}

type collector struct {
	opts Options
	sink Sink

	mu        sync.Mutex
	stats     Stats
	nsContent map[string]bool     // namespaces with selected content
	related   map[filter.Ref]bool // cluster objects referred to
	crdGroups map[string]bool     // group-resources of selected custom resources
	accounts  map[string]bool     // "ns/name" of selected service accounts
	emitted   sync.Map            // filter.Ref of cluster objects already emitted
}

func (c *collector) problem(ns, format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stats.Problems = append(c.stats.Problems, Problem{Namespace: ns, Message: fmt.Sprintf(format, args...)})
}

// warning records a Problem that does not make the backup PartiallyFailed.
func (c *collector) warning(ns, format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stats.Problems = append(c.stats.Problems, Problem{Namespace: ns, Message: fmt.Sprintf(format, args...), Warning: true})
}

// emit hands an object to the sink and records what the auto rule needs.
func (c *collector) emit(ctx context.Context, r filter.Resource, obj *unstructured.Unstructured) error {
	if !r.Namespaced {
		if _, dup := c.emitted.LoadOrStore(filter.Ref{Resource: r.GroupResource(), Name: obj.GetName()}, true); dup {
			return nil
		}
	}
	if err := c.sink(ctx, Item{Resource: r, Object: obj}); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stats.Items++
	c.stats.ByKind[r.Name()]++
	if ns := obj.GetNamespace(); ns != "" {
		c.nsContent[ns] = true
		for _, ref := range filter.Related(r.GroupResource(), obj) {
			c.related[ref] = true
		}
		if r.Group != "" {
			c.crdGroups[r.Name()] = true
		}
		if r.GroupResource() == serviceAccounts {
			c.accounts[qualified(obj)] = true
		}
	}
	return nil
}

// namespacedPass lists the selected namespaced resources in parallel.
func (c *collector) namespacedPass(ctx context.Context, rs []filter.Resource) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(c.opts.Parallel)
	for _, r := range rs {
		if !c.opts.Filter.IncludesResource(r) {
			continue
		}
		g.Go(func() error { return c.listNamespaced(gctx, r) })
	}
	return g.Wait()
}

func (c *collector) listNamespaced(ctx context.Context, r filter.Resource) error {
	f := c.opts.Filter
	keep := func(obj *unstructured.Unstructured) bool {
		return f.IncludesNamespace(obj.GetNamespace()) && f.MatchesLabels(obj.GetLabels())
	}
	if names, ok := f.Namespaces().Exact(); ok {
		for _, ns := range names {
			if err := c.listOrdered(ctx, r, ns, keep); err != nil {
				return err
			}
		}
		return nil
	}
	return c.listOrdered(ctx, r, "", keep)
}
