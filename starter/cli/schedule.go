package cli

import (
	"github.com/spf13/cobra"
)

func newScheduleCommand(kube *kubeFlags) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "schedule",
		Short: "Work with backup schedules (Temporal Schedules)",
	}
	t := addTemporalFlags(cmd)
	cmd.AddCommand(newScheduleCreateCommand(kube, t), newScheduleGetCommand(kube, t), newScheduleDescribeCommand(kube, t),
		newSchedulePauseCommand(kube, t, true), newSchedulePauseCommand(kube, t, false),
		newScheduleTriggerCommand(kube, t), newScheduleBackfillCommand(kube, t), newScheduleDeleteCommand(kube, t))
	return cmd
}
