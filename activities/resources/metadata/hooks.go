package metadata

import (
	"fmt"
	"strings"
	"time"
)

// Outcomes of one hook.
const (
	HookCompleted = "Completed"
	HookFailed    = "Failed"
)

// HookResult is the outcome of one exec hook: which it was, how it ended
// and the tails of its output. It never holds more than the tails.
type HookResult struct {
	// Name is the spec hook's name, or "<from-annotation>".
	Name      string
	Phase     string // pre or post
	Namespace string
	Pod       string
	Container string
	Command   []string
	OnError   string
	Status    string // HookCompleted or HookFailed
	ExitCode  int    `json:",omitempty"`
	Error     string `json:",omitempty"`
	Stdout    string `json:",omitempty"`
	Stderr    string `json:",omitempty"`
	Duration  time.Duration
}

// Failed tells whether the hook did not complete.
func (h HookResult) Failed() bool { return h.Status != HookCompleted }

// Fatal tells whether the hook failed with on-error Fail, which fails its
// pod's items.
func (h HookResult) Fatal() bool { return h.Failed() && h.OnError != "Continue" }

// String names the hook and its outcome for logs: the pod, container,
// phase, command, exit code and the tails of its output.
func (h HookResult) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s hook %s of pod %s/%s container %s (%q): %s", h.Phase, h.Name, h.Namespace, h.Pod, h.Container,
		strings.Join(h.Command, " "), h.Status)
	if h.Error != "" {
		fmt.Fprintf(&b, ": %s", h.Error)
	}
	fmt.Fprintf(&b, " (exit code %d, %s)", h.ExitCode, h.Duration.Round(time.Millisecond))
	if s := strings.TrimSpace(h.Stdout); s != "" {
		fmt.Fprintf(&b, "; stdout: %s", s)
	}
	if s := strings.TrimSpace(h.Stderr); s != "" {
		fmt.Fprintf(&b, "; stderr: %s", s)
	}
	return b.String()
}

// HookStatus counts a backup's or restore's hooks as Velero's
// status.hookStatus does.
type HookStatus struct {
	HooksAttempted int `json:"hooksAttempted,omitempty"`
	HooksFailed    int `json:"hooksFailed,omitempty"`
}

// CountHooks counts the attempted and failed hooks of results.
func CountHooks(results []HookResult) *HookStatus {
	if len(results) == 0 {
		return nil
	}
	st := &HookStatus{HooksAttempted: len(results)}
	for _, h := range results {
		if h.Failed() {
			st.HooksFailed++
		}
	}
	return st
}
