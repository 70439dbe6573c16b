package cli

import (
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/cairn-backup/cairn/starter"
)

// namesOrAll checks that a command got schedule names or --all.
func namesOrAll(args []string, all bool) error {
	switch {
	case all && len(args) > 0:
		return errors.New("give schedule names or --all, not both")
	case !all && len(args) == 0:
		return errors.New("give at least one schedule name, or --all")
	}
	return nil
}

// scheduleNames returns the named schedules, or every schedule with --all.
func scheduleNames(cmd *cobra.Command, sc *starter.Client, args []string, all bool) ([]string, error) {
	if !all {
		return args, nil
	}
	list, err := sc.ListSchedules(cmd.Context())
	if err != nil {
		return nil, err
	}
	names := make([]string, len(list))
	for i, s := range list {
		names[i] = s.Name
	}
	return names, nil
}

func newSchedulePauseCommand(kube *kubeFlags, t *temporalFlags, pause bool) *cobra.Command {
	verb, done := "pause", "paused"
	if !pause {
		verb, done = "unpause", "unpaused"
	}
	var all bool
	cmd := &cobra.Command{
		Use:               verb + " NAME... | --all",
		Short:             fmt.Sprintf("%s schedules", map[bool]string{true: "Pause", false: "Unpause"}[pause]),
		ValidArgsFunction: completeNames(t, 0, (*starter.Client).ScheduleNames),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := namesOrAll(args, all); err != nil {
				return err
			}
			sc, err := t.starter(kube, false)
			if err != nil {
				return err
			}
			defer sc.Temporal.Close()
			names, err := scheduleNames(cmd, sc, args, all)
			if err != nil {
				return err
			}
			op := sc.PauseSchedule
			if !pause {
				op = sc.UnpauseSchedule
			}
			for _, name := range names {
				if err := op(cmd.Context(), name, done+" with cairn schedule "+verb); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Schedule %q %s successfully.\n", name, done)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, verb+" every schedule")
	return cmd
}

func newScheduleTriggerCommand(kube *kubeFlags, t *temporalFlags) *cobra.Command {
	return &cobra.Command{
		Use:               "trigger NAME...",
		Short:             "Take a backup of schedules now, also when paused",
		ValidArgsFunction: completeNames(t, 0, (*starter.Client).ScheduleNames),
		Args:              cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			sc, err := t.starter(kube, false)
			if err != nil {
				return err
			}
			defer sc.Temporal.Close()
			for _, name := range args {
				if err := sc.TriggerSchedule(cmd.Context(), name); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Schedule %q triggered: its backup is named %s-<YYYYMMDDhhmmss> after the current time.\n", name, name)
			}
			return nil
		},
	}
}

func newScheduleBackfillCommand(kube *kubeFlags, t *temporalFlags) *cobra.Command {
	var from, to string
	cmd := &cobra.Command{
		Use:               "backfill NAME --from TIME --to TIME",
		Short:             "Take the backups a schedule would have taken in a past period, one after another",
		ValidArgsFunction: completeNames(t, 1, (*starter.Client).ScheduleNames),
		Long: "Take, one after another, the backups a schedule would have taken between --from and --to (RFC 3339 times,\n" +
			"such as 2026-01-02T03:00:00Z), each named after its scheduled time. They back up the cluster as it is now.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			start, err := time.Parse(time.RFC3339, from)
			if err != nil {
				return fmt.Errorf("--from %q: want an RFC 3339 time such as 2026-01-02T03:00:00Z", from)
			}
			end, err := time.Parse(time.RFC3339, to)
			if err != nil {
				return fmt.Errorf("--to %q: want an RFC 3339 time such as 2026-01-02T03:00:00Z", to)
			}
			sc, err := t.starter(kube, false)
			if err != nil {
				return err
			}
			defer sc.Temporal.Close()
			if err := sc.BackfillSchedule(cmd.Context(), args[0], start, end); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Schedule %q backfilled from %s to %s.\n", args[0], start.UTC().Format(time.RFC3339), end.UTC().Format(time.RFC3339))
			return nil
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "start of the period (RFC 3339)")
	cmd.Flags().StringVar(&to, "to", "", "end of the period (RFC 3339)")
	_ = cmd.MarkFlagRequired("from")
	_ = cmd.MarkFlagRequired("to")
	return cmd
}

func newScheduleDeleteCommand(kube *kubeFlags, t *temporalFlags) *cobra.Command {
	var (
		confirm bool
		all     bool
	)
	cmd := &cobra.Command{
		Use:               "delete NAME... | --all",
		Short:             "Delete schedules; their backups stay",
		ValidArgsFunction: completeNames(t, 0, (*starter.Client).ScheduleNames),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := namesOrAll(args, all); err != nil {
				return err
			}
			sc, err := t.starter(kube, false)
			if err != nil {
				return err
			}
			defer sc.Temporal.Close()
			names, err := scheduleNames(cmd, sc, args, all)
			if err != nil {
				return err
			}
			if len(names) == 0 {
				fmt.Fprintln(cmd.OutOrStdout(), "No schedules found")
				return nil
			}
			if !confirm && !confirmed(cmd, fmt.Sprintf("You are about to delete %d schedule(s): %s.", len(names), orNone(names, ""))) {
				fmt.Fprintln(cmd.OutOrStdout(), "Cancelling schedule deletion")
				return nil
			}
			for _, name := range names {
				if err := sc.DeleteSchedule(cmd.Context(), name); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Schedule deleted: %s\n", name)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&confirm, "confirm", false, "confirm deletion without asking")
	cmd.Flags().BoolVar(&all, "all", false, "delete every schedule")
	return cmd
}
