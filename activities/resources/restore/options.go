package restore

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/dynamic"

	"github.com/cairn-backup/cairn/activities/hooks"
	"github.com/cairn-backup/cairn/activities/resources/archive"
	"github.com/cairn-backup/cairn/activities/resources/filter"
	"github.com/cairn-backup/cairn/activities/resources/metadata"
)

// Existing-resource policies.
const (
	PolicyNone   = "none"
	PolicyUpdate = "update"
)

// Options configures Run.
type Options struct {
	Name       string // the restore's name
	BackupName string
	// Spec holds the namespace, resource and label filters; the scoped
	// filters and ordered resources are backup-only and rejected.
	Spec             filter.Spec
	NamespaceMapping map[string]string
	// ExistingResourcePolicy is PolicyNone (default) or PolicyUpdate.
	ExistingResourcePolicy string
	// Status*Resources select the resources whose status is restored.
	StatusIncludedResources []string
	StatusExcludedResources []string
	PreserveNodePorts       bool
	// PodVolumeClaims are the PVCs ("ns/name", backup namespaces) whose data
	// comes from a pod volume backup: they are restored without volumeName
	// so that a new volume is provisioned, and their PVs are not restored.
	PodVolumeClaims []string
	// PodVolumes maps the pods ("ns/name", backup namespaces) whose volumes
	// the node agents restore to those volumes' names: each such pod gets
	// the restore-wait init container, run from HelperImage
	// (DefaultHelperImage when empty).
	PodVolumes  map[string][]string
	HelperImage string
	// Hooks are the restore spec's hooks, whose init containers go into
	// the pods they select (the pods' annotations win).
	Hooks *hooks.RestoreHooks
	// Priorities overrides DefaultPriorities.
	Priorities []string
	// Parallel bounds concurrent writes within a resource (32 when zero).
	Parallel int
	// CRDTimeout bounds the wait for a CRD to be Established (1 min when
	// zero).
	CRDTimeout time.Duration

	Client    dynamic.Interface
	Discovery discovery.DiscoveryInterface
	Repo      archive.Loader
	Store     metadata.Store
	Now       func() time.Time
	// Record, when set, is the restore's record with its spec filled in:
	// Run fills in its status and stores it with the restore's files.
	Record *metadata.Restore
}

// ParseNamespaceMappings parses "src1:dst1,src2:dst2", as CheckMapping
// checks it; a source mapped twice is an error too.
func ParseNamespaceMappings(s string) (map[string]string, error) {
	out := map[string]string{}
	for _, pair := range strings.Split(s, ",") {
		pair = strings.TrimSpace(pair)
		if pair == "" {
			continue
		}
		src, dst, ok := strings.Cut(pair, ":")
		if !ok {
			return nil, fmt.Errorf("%q is not source:target; write e.g. old-ns:new-ns,other:copy", pair)
		}
		src, dst = strings.TrimSpace(src), strings.TrimSpace(dst)
		if prev, dup := out[src]; dup {
			return nil, fmt.Errorf("%s is mapped twice, to %s and to %s; map each namespace once", src, prev, dst)
		}
		out[src] = dst
	}
	return out, CheckMapping(out)
}

// CheckMapping checks namespace mappings: both sides are namespace names,
// and no two namespaces map to the same one.
func CheckMapping(m map[string]string) error {
	targets := map[string]string{}
	for _, src := range slices.Sorted(maps.Keys(m)) {
		dst := m[src]
		for _, ns := range []string{src, dst} {
			if errs := validation.IsDNS1123Label(ns); len(errs) > 0 {
				return fmt.Errorf("%s:%s: %q is not a namespace name: %s", src, dst, ns, strings.Join(errs, "; "))
			}
		}
		if other, dup := targets[dst]; dup {
			return fmt.Errorf("%s and %s both map to %s; map them to different namespaces", other, src, dst)
		}
		targets[dst] = src
	}
	return nil
}

// validateStatic checks what needs no server.
func validateStatic(opts *Options) error {
	for what, name := range map[string]string{"restore": opts.Name, "backup": opts.BackupName} {
		if name == "" || strings.ContainsAny(name, "/\\") || name == "." || name == ".." {
			return fmt.Errorf("invalid %s name %q", what, name)
		}
	}
	if opts.Client == nil || opts.Discovery == nil || opts.Repo == nil || opts.Store.Objects == nil {
		return fmt.Errorf("restore %s: client, discovery, repository and store are required", opts.Name)
	}
	switch opts.ExistingResourcePolicy {
	case "":
		opts.ExistingResourcePolicy = PolicyNone
	case PolicyNone, PolicyUpdate:
	default:
		return fmt.Errorf("restore %s: existing resource policy %q is not none or update", opts.Name, opts.ExistingResourcePolicy)
	}
	s := opts.Spec
	if len(s.IncludedClusterScopedResources)+len(s.ExcludedClusterScopedResources)+
		len(s.IncludedNamespaceScopedResources)+len(s.ExcludedNamespaceScopedResources)+len(s.OrderedResources) > 0 {
		return fmt.Errorf("restore %s: the scoped resource filters and ordered resources are backup-only", opts.Name)
	}
	if err := CheckMapping(opts.NamespaceMapping); err != nil {
		return fmt.Errorf("restore %s: namespace mapping %w", opts.Name, err)
	}
	for _, c := range opts.PodVolumeClaims {
		if ns, name, ok := strings.Cut(c, "/"); !ok || ns == "" || name == "" {
			return fmt.Errorf("restore %s: pod volume claim %q is not namespace/name", opts.Name, c)
		}
	}
	if opts.Parallel <= 0 {
		opts.Parallel = 32
	}
	if opts.CRDTimeout <= 0 {
		opts.CRDTimeout = time.Minute
	}
	if len(opts.Priorities) == 0 {
		opts.Priorities = DefaultPriorities
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return nil
}
