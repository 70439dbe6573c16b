package cli

import (
	"strings"

	"github.com/spf13/cobra"
)

// Velero's verb-first forms: `cairn get backups` is `cairn backup get`,
// `cairn create backup NAME` is `cairn backup create NAME`, and so on. Each
// is the command of the noun-first form, from the same constructor, with
// the noun where the verb was.

func newVerbCommands(kube *kubeFlags) []*cobra.Command {
	get, t := verbCommand("get", "Get backups, restores, schedules, backup storage locations or volume snapshot locations")
	get.AddCommand(
		noun("backups", newBackupGetCommand(kube, t), "backup"), noun("restores", newRestoreGetCommand(kube, t), "restore"),
		noun("schedules", newScheduleGetCommand(kube, t), "schedule"), noun("backup-locations", newLocationGetCommand(kube), "backup-location"),
		noun("snapshot-locations", newSnapshotLocationGet(kube), "snapshot-location"))
	create, t := verbCommand("create", "Create a backup, restore, schedule, backup storage location or volume snapshot location")
	create.AddCommand(
		noun("backup", newBackupCreateCommand(kube, t)), noun("restore", newRestoreCreateCommand(kube, t)),
		noun("schedule", newScheduleCreateCommand(kube, t)), noun("backup-location", newLocationCreateCommand(kube)),
		noun("snapshot-location", newSnapshotLocationCreate(kube)))
	describe, t := verbCommand("describe", "Describe backups, restores or schedules")
	describe.AddCommand(
		noun("backups", newBackupDescribeCommand(kube, t), "backup"), noun("restores", newRestoreDescribeCommand(kube, t), "restore"),
		noun("schedules", newScheduleDescribeCommand(kube, t), "schedule"))
	del, t := verbCommand("delete", "Delete backups, restores, schedules, backup storage locations or volume snapshot locations")
	del.AddCommand(
		noun("backup", newBackupDeleteCommand(kube, t), "backups"), noun("restore", newRestoreDeleteCommand(kube, t), "restores"),
		noun("schedule", newScheduleDeleteCommand(kube, t), "schedules"), noun("backup-location", newLocationDeleteCommand(kube), "backup-locations"),
		noun("snapshot-location", newSnapshotLocationDelete(kube), "snapshot-locations"))
	logs, t := verbCommand("logs", "Get the logs of a backup or restore")
	logs.AddCommand(noun("backup", newBackupLogsCommand(kube, t), "backups"), noun("restore", newRestoreLogsCommand(kube, t), "restores"))
	return []*cobra.Command{get, create, describe, del, logs}
}

// verbCommand is the command of a verb, with the Temporal flags its nouns
// share.
func verbCommand(verb, short string) (*cobra.Command, *temporalFlags) {
	cmd := &cobra.Command{Use: verb, Short: short}
	return cmd, addTemporalFlags(cmd)
}

// noun renames cmd, a noun's verb, to the noun (each word of its usage
// that named the verb), with aliases.
func noun(name string, cmd *cobra.Command, aliases ...string) *cobra.Command {
	verb := cmd.Name()
	words := strings.Fields(cmd.Use)
	for i, w := range words {
		if w == verb {
			words[i] = name
		}
	}
	cmd.Use, cmd.Aliases = strings.Join(words, " "), aliases
	return cmd
}
