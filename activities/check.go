package activities

import (
	"fmt"
	"time"

	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/cairn-backup/cairn/activities/hooks"
	"github.com/cairn-backup/cairn/activities/resources/filter"
	"github.com/cairn-backup/cairn/activities/resources/restore"
)

// The checks of this file need no server: ValidateBackup and
// ValidateRestore run them first, and the CLI runs the same ones before it
// submits anything. Each problem is a field error under the path of the
// workflow input's field ("Name", "Spec.TTL"), so that the CLI can name
// the flag instead.

// MaxNameLength bounds the names of backups and restores: the objects a
// restore creates carry both as label values (velero.io/backup-name,
// velero.io/restore-name), of at most 63 characters, as in Velero.
const MaxNameLength = validation.LabelValueMaxLength

// CheckName checks name, at path, as Kubernetes names Velero's objects (a
// DNS-1123 subdomain) within max characters; why says where the limit
// comes from.
func CheckName(path *field.Path, name string, max int, why string) field.ErrorList {
	if name == "" {
		return field.ErrorList{field.Required(path, "a name is required")}
	}
	var errs field.ErrorList
	for _, msg := range validation.IsDNS1123Subdomain(name) {
		errs = append(errs, field.Invalid(path, name, msg))
	}
	if len(name) > max {
		errs = append(errs, field.Invalid(path, name, fmt.Sprintf("%d characters; at most %d, since %s", len(name), max, why)))
	}
	return errs
}

// labelValue says why backup and restore names are short.
const labelValue = "restored objects carry it as a label value"

// CheckBackupName checks the name of a backup, at Name.
func CheckBackupName(name string) field.ErrorList {
	return CheckName(field.NewPath("Name"), name, MaxNameLength, labelValue)
}

// CheckRestoreName checks the name of a restore, at Name.
func CheckRestoreName(name string) field.ErrorList {
	return CheckName(field.NewPath("Name"), name, MaxNameLength, labelValue)
}

// CheckBackup lists what is wrong with backup name and its spec.
func CheckBackup(name string, spec BackupSpec) field.ErrorList {
	return append(CheckBackupName(name), CheckBackupSpec(spec)...)
}

// CheckBackupSpec lists what is wrong with a backup's spec (at Spec): its
// TTL, filters, selectors, hooks, labels and annotations.
func CheckBackupSpec(spec BackupSpec) field.ErrorList {
	path := field.NewPath("Spec")
	errs := checkTTL(path.Child("TTL"), spec.TTL)
	errs = append(errs, spec.filter().Check(path)...)
	if err := hooks.ValidateBackupHooks(spec.Hooks); err != nil {
		errs = append(errs, field.Invalid(path.Child("Hooks"), field.OmitValueType{}, err.Error()))
	}
	return append(errs, checkMeta(path, spec.Labels, spec.Annotations)...)
}

// CheckRestore lists what is wrong with restore name and its spec (at
// Spec): the backup it names, its existing-resource policy, namespace
// mappings, filters, hooks, labels and annotations.
func CheckRestore(name string, spec RestoreSpec) field.ErrorList {
	path := field.NewPath("Spec")
	errs := CheckRestoreName(name)
	if spec.BackupName == "" {
		errs = append(errs, field.Required(path.Child("BackupName"), "a backup to restore from is required"))
	} else {
		errs = append(errs, CheckName(path.Child("BackupName"), spec.BackupName, MaxNameLength, labelValue)...)
	}
	if p := spec.ExistingResourcePolicy; p != "" && p != restore.PolicyNone && p != restore.PolicyUpdate {
		errs = append(errs, field.NotSupported(path.Child("ExistingResourcePolicy"), p, []string{restore.PolicyNone, restore.PolicyUpdate}))
	}
	if err := restore.CheckMapping(spec.NamespaceMappings); err != nil {
		errs = append(errs, field.Invalid(path.Child("NamespaceMappings"), field.OmitValueType{}, err.Error()))
	}
	errs = append(errs, spec.filter().Check(path)...)
	errs = append(errs, filter.Spec{IncludedResources: spec.StatusIncludedResources, ExcludedResources: spec.StatusExcludedResources}.Check(path.Child("Status"))...)
	if err := hooks.ValidateRestoreHooks(spec.Hooks); err != nil {
		errs = append(errs, field.Invalid(path.Child("Hooks"), field.OmitValueType{}, err.Error()))
	}
	return append(errs, checkMeta(path, spec.Labels, spec.Annotations)...)
}

// checkTTL checks a backup's TTL: empty (the default) or a non-negative
// Go duration.
func checkTTL(path *field.Path, s string) field.ErrorList {
	if s == "" {
		return nil
	}
	switch d, err := time.ParseDuration(s); {
	case err != nil:
		return field.ErrorList{field.Invalid(path, s, "not a duration; write e.g. 72h or 30m")}
	case d < 0:
		return field.ErrorList{field.Invalid(path, s, "negative; write a duration of 0 or more, e.g. 72h")}
	}
	return nil
}

// checkMeta checks the labels and annotations of a record under path as
// Kubernetes checks an object's.
func checkMeta(path *field.Path, labels, annotations map[string]string) field.ErrorList {
	errs := metav1validation.ValidateLabels(labels, path.Child("Labels"))
	return append(errs, apivalidation.ValidateAnnotations(annotations, path.Child("Annotations"))...)
}
