package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// deletions are the deletions a delete command asks for, of one kind:
// backups or restores.
type deletions struct {
	kind  string // "backup"
	start func(ctx context.Context, name string) error
	// wait waits until the deletion of name ends and says what it
	// removed, or why it removed nothing.
	wait func(ctx context.Context, name string) (removed, refused string, err error)
}

// run starts the deletion of each of names, then waits for each; a
// refused one is an error at the end, exit code 1.
func (d deletions) run(cmd *cobra.Command, names []string) error {
	out := cmd.OutOrStdout()
	for _, name := range names {
		if err := d.start(cmd.Context(), name); err != nil {
			return err
		}
		fmt.Fprintf(out, "Request to delete %s %q submitted successfully.\n", d.kind, name)
	}
	var failed []string
	for _, name := range names {
		removed, refused, err := d.wait(cmd.Context(), name)
		if err != nil {
			return err
		}
		if refused != "" {
			fmt.Fprintf(cmd.ErrOrStderr(), "cairn: %s %s: %s\n", d.kind, name, refused)
			failed = append(failed, name)
			continue
		}
		fmt.Fprintf(out, "%s %q deleted: %s.\n", title(d.kind), name, removed)
	}
	if len(failed) > 0 {
		return &exitError{code: 1, msg: fmt.Sprintf("could not delete %s", orNone(failed, ""))}
	}
	return nil
}

// refusal is the reason of a deletion that ended in phase without
// completing; "" when it completed.
func refusal(phase, completed, reason string) string {
	if phase == completed {
		return ""
	}
	if reason == "" {
		return phase
	}
	return reason
}

// checkNames lists the problems of each of names.
func checkNames(names []string, check func(string) field.ErrorList) field.ErrorList {
	var errs field.ErrorList
	for _, name := range names {
		errs = append(errs, check(name)...)
	}
	return errs
}
