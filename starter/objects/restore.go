package objects

import (
	"fmt"
	"maps"
	"strings"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/hooks"
	"github.com/cairn-backup/cairn/starter/velerov1"
	"github.com/cairn-backup/cairn/workflows"
)

// Restore is restore res as the Restore object of namespace ns.
func Restore(res workflows.RestoreResult, ns string) velerov1.Restore {
	r := velerov1.Restore{TypeMeta: typeMeta("Restore"), ObjectMeta: objectMeta(res.Name, ns, maps.Clone(res.Spec.Labels))}
	r.Annotations = maps.Clone(res.Spec.Annotations)
	r.CreationTimestamp = ptrTime(res.Started)
	r.Spec = RestoreSpec(res.Spec)
	if r.Spec.BackupName == "" {
		r.Spec.BackupName = res.BackupName
	}
	r.Status = RestoreStatus(res)
	return r
}

// RestoreSpec is Cairn's restore spec as Velero's.
func RestoreSpec(s activities.RestoreSpec) velerov1.RestoreSpec {
	out := velerov1.RestoreSpec{
		BackupName:         s.BackupName,
		IncludedNamespaces: s.IncludedNamespaces, ExcludedNamespaces: s.ExcludedNamespaces,
		IncludedResources: s.IncludedResources, ExcludedResources: s.ExcludedResources,
		NamespaceMapping: s.NamespaceMappings, PreserveNodePorts: s.PreserveNodePorts,
		RestorePVs: s.RestoreVolumes, ExistingResourcePolicy: velerov1.PolicyType(s.ExistingResourcePolicy),
		IncludeClusterResources: s.IncludeClusterResources,
	}
	out.LabelSelector, out.OrLabelSelectors = selectors(s.LabelSelector, s.OrLabelSelectors)
	if len(s.StatusIncludedResources)+len(s.StatusExcludedResources) > 0 {
		out.RestoreStatus = &velerov1.RestoreStatusSpec{IncludedResources: s.StatusIncludedResources, ExcludedResources: s.StatusExcludedResources}
	}
	sameJSON(s.Hooks, &out.Hooks)
	return out
}

// RestoreStatus is the status of restore res.
func RestoreStatus(res workflows.RestoreResult) velerov1.RestoreStatus {
	st := velerov1.RestoreStatus{
		Phase:          restorePhase(res.Phase),
		StartTimestamp: timeOrNil(res.Started), CompletionTimestamp: timeOrNil(res.Completed),
		Errors: res.Errors, Warnings: res.Warnings, HookStatus: hookStatus(res.Hooks),
	}
	if res.Total > 0 {
		st.Progress = &velerov1.RestoreProgress{TotalItems: res.Total, ItemsRestored: res.Created + res.Updated + res.Skipped}
	}
	if st.Phase == velerov1.RestorePhaseFailedValidation {
		st.ValidationErrors = []string{res.FailureReason}
	} else {
		st.FailureReason = res.FailureReason
	}
	return st
}

// restorePhase is Cairn's phase as Velero's, as backupPhase.
func restorePhase(p string) velerov1.RestorePhase {
	return velerov1.RestorePhase(backupPhase(p))
}

// RestoreFinished tells whether a restore's phase is final.
func RestoreFinished(p velerov1.RestorePhase) bool { return Finished(velerov1.BackupPhase(p)) }

// RestoreInput is the workflow input that the Restore object r asks for;
// a field Cairn cannot honour is an error naming it.
func RestoreInput(r *velerov1.Restore) (workflows.RestoreInput, error) {
	s := r.Spec
	if problems := unsupportedRestoreFields(s); len(problems) > 0 {
		return workflows.RestoreInput{}, fmt.Errorf("%w: %s", ErrUnsupported, strings.Join(problems, "; "))
	}
	spec := activities.RestoreSpec{
		BackupName:         s.BackupName,
		IncludedNamespaces: s.IncludedNamespaces, ExcludedNamespaces: s.ExcludedNamespaces,
		IncludedResources: s.IncludedResources, ExcludedResources: s.ExcludedResources,
		NamespaceMappings: s.NamespaceMapping, PreserveNodePorts: s.PreserveNodePorts,
		RestoreVolumes: s.RestorePVs, ExistingResourcePolicy: string(s.ExistingResourcePolicy),
		Labels: r.Labels, Annotations: userAnnotations(r.Annotations),
		IncludeClusterResources: s.IncludeClusterResources,
	}
	spec.LabelSelector, spec.OrLabelSelectors = selectorStrings(s.LabelSelector, s.OrLabelSelectors)
	if st := s.RestoreStatus; st != nil {
		spec.StatusIncludedResources, spec.StatusExcludedResources = st.IncludedResources, st.ExcludedResources
	}
	if len(s.Hooks.Resources) > 0 {
		spec.Hooks = &hooks.RestoreHooks{}
		sameJSON(s.Hooks, spec.Hooks)
	}
	return workflows.RestoreInput{Name: r.Name, Spec: spec}, nil
}

// unsupportedRestoreFields names the fields of s that ask for what Cairn
// does not do.
func unsupportedRestoreFields(s velerov1.RestoreSpec) []string {
	var out []string
	set := func(field string, on bool, why string) {
		if on {
			out = append(out, fmt.Sprintf("spec.%s: %s", field, why))
		}
	}
	set("backupName", s.BackupName == "", "name the backup to restore (velero restore create --from-backup NAME), or the schedule whose latest backup to restore (--from-schedule NAME)")
	set("resourceModifier", s.ResourceModifier != nil, "resource modifiers are not supported yet; remove it")
	return out
}
