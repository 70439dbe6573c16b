package velerov1

import (
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ScheduleSpec says when a schedule backs up and what each backup takes.
type ScheduleSpec struct {
	// Template is the spec of each backup the schedule creates.
	Template BackupSpec `json:"template"`

	// Schedule is the cron expression of when backups are created, e.g. "0 1 * * *" or "@every 6h".
	Schedule string `json:"schedule"`

	// UseOwnerReferencesInBackup makes the schedule the owner of its backups, so that deleting
	// the schedule deletes them too.
	// +optional
	// +nullable
	UseOwnerReferencesInBackup *bool `json:"useOwnerReferencesInBackup,omitempty"`

	// Paused stops the schedule from creating backups until it is set back to false.
	// +optional
	Paused bool `json:"paused,omitempty"`

	// SkipImmediately, when a new or unpaused schedule is already due, waits for the next
	// time instead of backing up at once; unset follows the server's setting (default false).
	// +optional
	SkipImmediately *bool `json:"skipImmediately,omitempty"`
}

// SchedulePhase is where a schedule is in its life.
// +kubebuilder:validation:Enum=New;Enabled;FailedValidation
type SchedulePhase string

const (
	// SchedulePhaseNew: created, not yet checked by the server.
	SchedulePhaseNew SchedulePhase = "New"
	// SchedulePhaseEnabled: checked; it creates backups on time.
	SchedulePhaseEnabled SchedulePhase = "Enabled"
	// SchedulePhaseFailedValidation: its spec was refused; it creates no backup (see status.validationErrors).
	SchedulePhaseFailedValidation SchedulePhase = "FailedValidation"
)

// ScheduleStatus is what the server reports of a schedule.
type ScheduleStatus struct {
	// Phase is where the schedule is in its life.
	// +optional
	Phase SchedulePhase `json:"phase,omitempty"`

	// LastBackup is when the schedule last created a backup.
	// +optional
	// +nullable
	LastBackup *metav1.Time `json:"lastBackup,omitempty"`

	// LastSkipped is when the schedule last skipped a backup that was due.
	// +optional
	// +nullable
	LastSkipped *metav1.Time `json:"lastSkipped,omitempty"`

	// ValidationErrors say why the spec was refused, in phase FailedValidation.
	// +optional
	ValidationErrors []string `json:"validationErrors,omitempty"`
}

// +kubebuilder:object:root=true
// +kubebuilder:storageversion
// +kubebuilder:printcolumn:name="Status",type="string",JSONPath=".status.phase",description="Where the schedule is in its life"
// +kubebuilder:printcolumn:name="Schedule",type="string",JSONPath=".spec.schedule",description="The cron expression of when backups are created"
// +kubebuilder:printcolumn:name="LastBackup",type="date",JSONPath=".status.lastBackup",description="When the schedule last created a backup"
// +kubebuilder:printcolumn:name="Age",type="date",JSONPath=".metadata.creationTimestamp"
// +kubebuilder:printcolumn:name="Paused",type="boolean",JSONPath=".spec.paused"

// Schedule creates a backup from its template each time its cron expression
// comes due: `velero schedule create` makes one.
type Schedule struct {
	metav1.TypeMeta `json:",inline"`

	// +optional
	metav1.ObjectMeta `json:"metadata"`

	// +optional
	Spec ScheduleSpec `json:"spec,omitempty"`

	// +optional
	Status ScheduleStatus `json:"status,omitempty"`
}

// +kubebuilder:object:root=true

// ScheduleList is a list of Schedules.
type ScheduleList struct {
	metav1.TypeMeta `json:",inline"`

	// +optional
	metav1.ListMeta `json:"metadata,omitempty"`

	Items []Schedule `json:"items"`
}

// TimestampedName is the name of the schedule's backup created at t: the
// schedule's name, a dash, and t as yyyyMMddHHmmss (in t's location), the
// names the velero CLI and server give scheduled backups.
func (s *Schedule) TimestampedName(t time.Time) string {
	return s.Name + "-" + t.Format("20060102150405")
}
