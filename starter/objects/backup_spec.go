package objects

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/hooks"
	"github.com/cairn-backup/cairn/starter/velerov1"
	"github.com/cairn-backup/cairn/workflows"
)

// BackupSpec is Cairn's backup spec as Velero's.
func BackupSpec(s activities.BackupSpec) velerov1.BackupSpec {
	out := velerov1.BackupSpec{
		IncludedNamespaces: s.IncludedNamespaces, ExcludedNamespaces: s.ExcludedNamespaces,
		IncludedResources: s.IncludedResources, ExcludedResources: s.ExcludedResources,
		IncludeClusterResources: s.IncludeClusterResources, StorageLocation: s.StorageLocation,
		DefaultVolumesToFsBackup:       s.DefaultVolumesToFsBackup,
		IncludedClusterScopedResources: s.IncludedClusterScopedResources, ExcludedClusterScopedResources: s.ExcludedClusterScopedResources,
		IncludedNamespaceScopedResources: s.IncludedNamespaceScopedResources, ExcludedNamespaceScopedResources: s.ExcludedNamespaceScopedResources,
		OrderedResources: s.OrderedResources,
	}
	out.LabelSelector, out.OrLabelSelectors = selectors(s.LabelSelector, s.OrLabelSelectors)
	if ttl, err := activities.ParseTTL(s.TTL); err == nil {
		out.TTL = metav1.Duration{Duration: ttl}
	}
	sameJSON(s.Hooks, &out.Hooks)
	return out
}

// selectors are Cairn's label selectors as a velero.io/v1 spec's.
func selectors(one string, or []string) (*metav1.LabelSelector, []*metav1.LabelSelector) {
	var out []*metav1.LabelSelector
	for _, o := range or {
		out = append(out, selector(o))
	}
	return selector(one), out
}

// selector parses a selector Cairn validated before it stored it; one
// that does not parse is left out rather than printed wrong.
// selectorStrings are the label selectors of a velero.io/v1 spec as
// Cairn's specs spell them ("app=web,tier!=db").
func selectorStrings(one *metav1.LabelSelector, or []*metav1.LabelSelector) (string, []string) {
	var s string
	if one != nil {
		s = metav1.FormatLabelSelector(one)
	}
	var out []string
	for _, o := range or {
		out = append(out, metav1.FormatLabelSelector(o))
	}
	return s, out
}

func selector(s string) *metav1.LabelSelector {
	if s == "" {
		return nil
	}
	ls, err := metav1.ParseToLabelSelector(s)
	if err != nil {
		return nil
	}
	return ls
}

// sameJSON copies from into to, two types with the same JSON shape (Cairn's
// hooks and Velero's); a nil from leaves to as it is.
func sameJSON(from, to any) {
	data, err := json.Marshal(from)
	if err != nil || string(data) == "null" {
		return
	}
	_ = json.Unmarshal(data, to)
}

// ErrUnsupported is wrapped by the errors of objects that ask for what
// Cairn does not do.
var ErrUnsupported = errors.New("not supported by Cairn")

// BackupInput is the workflow input that the Backup object b asks for. A
// field Cairn cannot honour is an error naming it, so that the object
// fails validation instead of backing up something else than it says.
func BackupInput(b *velerov1.Backup) (workflows.BackupInput, error) {
	s := b.Spec
	if problems := unsupportedBackupFields(s); len(problems) > 0 {
		return workflows.BackupInput{}, fmt.Errorf("%w: %s", ErrUnsupported, strings.Join(problems, "; "))
	}
	spec := activities.BackupSpec{
		IncludedNamespaces: s.IncludedNamespaces, ExcludedNamespaces: s.ExcludedNamespaces,
		IncludedResources: s.IncludedResources, ExcludedResources: s.ExcludedResources,
		IncludeClusterResources: s.IncludeClusterResources, StorageLocation: s.StorageLocation,
		DefaultVolumesToFsBackup: s.DefaultVolumesToFsBackup,
		Labels:                   b.Labels, Annotations: userAnnotations(b.Annotations),
		IncludedClusterScopedResources: s.IncludedClusterScopedResources, ExcludedClusterScopedResources: s.ExcludedClusterScopedResources,
		IncludedNamespaceScopedResources: s.IncludedNamespaceScopedResources, ExcludedNamespaceScopedResources: s.ExcludedNamespaceScopedResources,
		OrderedResources: s.OrderedResources,
	}
	if s.TTL.Duration != 0 {
		spec.TTL = s.TTL.Duration.String()
	}
	spec.LabelSelector, spec.OrLabelSelectors = selectorStrings(s.LabelSelector, s.OrLabelSelectors)
	if len(s.Hooks.Resources) > 0 {
		spec.Hooks = &hooks.BackupHooks{}
		sameJSON(s.Hooks, spec.Hooks)
	}
	return workflows.BackupInput{Name: b.Name, Spec: spec}, nil
}

// unsupportedBackupFields names the fields of s that ask for what Cairn
// does not do.
func unsupportedBackupFields(s velerov1.BackupSpec) []string {
	var out []string
	set := func(field string, on bool, why string) {
		if on {
			out = append(out, fmt.Sprintf("spec.%s: %s", field, why))
		}
	}
	set("resourcePolicy", s.ResourcePolicy != nil, "resource policies are not supported yet; remove it")
	set("snapshotVolumes", s.SnapshotVolumes != nil && *s.SnapshotVolumes, "Cairn has no volume snapshotter; back volumes up with fs-backup (defaultVolumesToFsBackup)")
	set("snapshotMoveData", s.SnapshotMoveData != nil && *s.SnapshotMoveData, "Cairn has no data mover; back volumes up with fs-backup (defaultVolumesToFsBackup)")
	set("volumeSnapshotLocations", len(s.VolumeSnapshotLocations) > 0, "Cairn has no volume snapshotter; remove it")
	return out
}

// userAnnotations are the annotations of an object that belong on Cairn's
// record: not kubectl's bookkeeping nor Cairn's own.
func userAnnotations(a map[string]string) map[string]string {
	out := maps.Clone(a)
	maps.DeleteFunc(out, func(k, _ string) bool {
		return strings.HasPrefix(k, "kubectl.kubernetes.io/") || strings.HasPrefix(k, "cairn.io/")
	})
	if len(out) == 0 {
		return nil
	}
	return out
}
