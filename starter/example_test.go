package starter_test

import (
	"context"
	"fmt"
	"log"

	"go.temporal.io/sdk/client"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/starter"
	"github.com/cairn-backup/cairn/workflows"
)

// Start a backup from your own code: dial the Temporal that `cairn server`
// polls, start the Backup workflow (ID backup/<name>, task queue cairn)
// with a workflows.BackupInput, and wait for its outcome. The same
// StartRestore and CreateSchedule take a workflows.RestoreInput and a
// starter.ScheduleRequest.
func Example_startBackup() {
	ctx := context.Background()
	tc, err := client.Dial(client.Options{HostPort: "127.0.0.1:7233", Namespace: "default"})
	if err != nil {
		log.Fatal(err)
	}
	defer tc.Close()
	cairn := &starter.Client{Temporal: tc}

	backup := workflows.BackupInput{Name: "nginx-backup", Spec: activities.BackupSpec{
		IncludedNamespaces: []string{"nginx-example"}, TTL: "72h",
	}}
	if err := cairn.StartBackup(ctx, backup); err != nil {
		log.Fatal(err) // wraps starter.ErrExists when the name is taken
	}
	res, err := cairn.WaitBackup(ctx, backup.Name)
	if err != nil {
		log.Fatalf("backup %s: %v", backup.Name, err) // Failed or FailedValidation, with the reason
	}
	fmt.Println(res.Phase, res.Items, "items")

	restore := workflows.RestoreInput{Name: "nginx-restore", Spec: activities.RestoreSpec{
		BackupName: backup.Name, NamespaceMappings: map[string]string{"nginx-example": "nginx-copy"},
	}}
	if err := cairn.StartRestore(ctx, restore); err != nil {
		log.Fatal(err)
	}
	if _, err := cairn.WaitRestore(ctx, restore.Name); err != nil {
		log.Fatal(err)
	}

	if err := cairn.CreateSchedule(ctx, starter.ScheduleRequest{
		Name: "daily", Cron: "0 1 * * *", Spec: activities.BackupSpec{IncludedNamespaces: []string{"nginx-example"}, TTL: "72h"},
	}); err != nil {
		log.Fatal(err)
	}
}
