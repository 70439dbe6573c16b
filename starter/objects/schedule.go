package objects

import (
	"fmt"
	"maps"

	"github.com/cairn-backup/cairn/starter"
	"github.com/cairn-backup/cairn/starter/velerov1"
)

// Schedule is schedule s as the Schedule object of namespace ns.
func Schedule(s starter.Schedule, ns string) velerov1.Schedule {
	out := velerov1.Schedule{TypeMeta: typeMeta("Schedule"), ObjectMeta: objectMeta(s.Name, ns, nil)}
	out.ObjectMeta.CreationTimestamp = ptrTime(s.Created)
	out.Spec = velerov1.ScheduleSpec{Schedule: s.Cron, Template: BackupSpec(s.Spec), Paused: s.Paused}
	out.Spec.Template.Metadata.Labels = maps.Clone(s.Spec.Labels)
	out.Status = velerov1.ScheduleStatus{Phase: velerov1.SchedulePhaseEnabled, LastBackup: timeOrNil(s.LastBackup)}
	return out
}

// ScheduleRequest is the Temporal Schedule that the Schedule object s asks
// for; a template field Cairn cannot honour is an error naming it.
func ScheduleRequest(s *velerov1.Schedule) (starter.ScheduleRequest, error) {
	meta := s.ObjectMeta
	meta.Annotations = nil // kubectl's and Cairn's bookkeeping; a backup's own come from --annotations
	meta.Labels = mergedLabels(s.Spec.Template.Metadata.Labels, s.Labels)
	in, err := BackupInput(&velerov1.Backup{ObjectMeta: meta, Spec: s.Spec.Template})
	if err != nil {
		return starter.ScheduleRequest{}, fmt.Errorf("template: %w", err)
	}
	if s.Spec.SkipImmediately != nil && !*s.Spec.SkipImmediately {
		return starter.ScheduleRequest{}, fmt.Errorf("spec.skipImmediately false: Cairn's schedules back up at their times only; remove it")
	}
	return starter.ScheduleRequest{Name: s.Name, Cron: s.Spec.Schedule, Spec: in.Spec, Paused: s.Spec.Paused}, nil
}

// mergedLabels is a and b in one map, b's winning; nil when both are empty.
func mergedLabels(a, b map[string]string) map[string]string {
	if len(a)+len(b) == 0 {
		return nil
	}
	out := maps.Clone(a)
	if out == nil {
		out = map[string]string{}
	}
	maps.Copy(out, b)
	return out
}
