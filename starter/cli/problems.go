package cli

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"
)

// flagOf names the flag (or argument) that sets each field of a workflow
// input, for the problems that the checks shared with the workers find
// (activities.CheckBackup and the like name fields, not flags).
var flagOf = map[string]string{
	"Name": "name", "Cron": "--schedule",
	"Spec.BackupName": "--from-backup", "Spec.TTL": "--ttl", "Spec.StorageLocation": "--storage-location",
	"Spec.IncludedNamespaces": "--include-namespaces", "Spec.ExcludedNamespaces": "--exclude-namespaces",
	"Spec.IncludedResources": "--include-resources", "Spec.ExcludedResources": "--exclude-resources",
	"Spec.LabelSelector": "--selector", "Spec.OrLabelSelectors": "--or-selector",
	"Spec.NamespaceMappings": "--namespace-mappings", "Spec.ExistingResourcePolicy": "--existing-resource-policy",
	"Spec.Hooks": "--hooks-file", "Spec.Labels": "--labels", "Spec.Annotations": "--annotations",
}

// refuse ends a command whose input has problems before it submits
// anything: one line for each, exit code 1. Nothing is refused when errs
// is empty.
func refuse(errs field.ErrorList) error {
	if len(errs) == 0 {
		return nil
	}
	lines := make([]string, len(errs))
	for i, e := range errs {
		lines[i] = problemLine(e)
	}
	return &exitError{code: 1, msg: strings.Join(lines, "\ncairn: ")}
}

// problemLine says what is wrong with a field in terms of its flag:
// `--ttl "3x": not a duration; write e.g. 72h or 30m`.
func problemLine(e *field.Error) string {
	name := flagOf[e.Field]
	if name == "" {
		name = e.Field
	}
	if v, ok := e.BadValue.(string); ok && e.Type != field.ErrorTypeRequired && e.Type != field.ErrorTypeForbidden {
		name += fmt.Sprintf(" %q", v)
	}
	detail := e.Detail
	if detail == "" {
		detail = e.Type.String()
	}
	return name + ": " + detail
}
