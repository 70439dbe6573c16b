package cli

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/cairn-backup/cairn/activities/resources/metadata"
)

// printHooks prints Velero's hook counts and, with details, each hook and
// its outcome.
func printHooks(w io.Writer, hooks []metadata.HookResult, details bool) {
	if len(hooks) == 0 {
		return
	}
	st := metadata.CountHooks(hooks)
	fmt.Fprintf(w, "\nHooksAttempted:  %d\nHooksFailed:     %d\n", st.HooksAttempted, st.HooksFailed)
	if !details {
		return
	}
	fmt.Fprintln(w, "\nHooks:")
	for _, h := range hooks {
		fmt.Fprintf(w, "  %s/%s %s hook %s, container %s: %s\n", h.Namespace, h.Pod, h.Phase, h.Name, h.Container, strings.Join(h.Command, " "))
		fmt.Fprintf(w, "    Result:    %s (exit code %d, %s, on error %s)\n", h.Status, h.ExitCode, h.Duration.Round(time.Millisecond), h.OnError)
		if h.Error != "" {
			fmt.Fprintf(w, "    Error:     %s\n", h.Error)
		}
	}
}

// printDumps prints the application dumps of a backup or the loads of a
// restore.
func printDumps(w io.Writer, title string, dumps []metadata.PodDump) {
	if len(dumps) == 0 {
		return
	}
	fmt.Fprintf(w, "\n%s:\n", title)
	for _, d := range dumps {
		fmt.Fprintf(w, "  %s/%s container %s: %s\n", d.Namespace, d.Pod, d.Container, d.Filename)
		fmt.Fprintf(w, "    Phase:     %s\n", d.Phase)
		if d.SnapshotID != "" {
			fmt.Fprintf(w, "    Snapshot:  %s\n", d.SnapshotID)
		}
		fmt.Fprintf(w, "    Bytes:     %d (%s)\n", d.Bytes, d.Duration.Round(time.Millisecond))
		if d.Error != "" {
			fmt.Fprintf(w, "    Error:     %s (exit code %d)\n", d.Error, d.ExitCode)
			if s := strings.TrimSpace(d.Stderr); s != "" {
				fmt.Fprintf(w, "    Stderr:    %s\n", s)
			}
		}
	}
}
