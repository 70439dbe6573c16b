package hooks

import (
	"errors"
	"fmt"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ValidateBackupHooks checks a Backup spec's hooks before any work: every
// entry has an exec with a non-empty command, an onError that is empty,
// Fail or Continue, and a non-negative timeout, and every label selector
// parses. It returns one error listing every problem with its resource
// hook's index and name ("hooks.resources[0] (freeze).pre[1]: ..."), or
// nil; nil hooks are valid.
func ValidateBackupHooks(h *BackupHooks) error {
	if h == nil {
		return nil
	}
	var v validator
	for i, rh := range h.Resources {
		at := resourcePath(i, rh.Name)
		v.selector(at, rh.LabelSelector)
		for j, e := range rh.Pre {
			v.backupEntry(fmt.Sprintf("%s.pre[%d]", at, j), e)
		}
		for j, e := range rh.Post {
			v.backupEntry(fmt.Sprintf("%s.post[%d]", at, j), e)
		}
	}
	return v.err()
}

// ValidateRestoreHooks checks a Restore spec's hooks before any work:
// every entry has exactly one of exec and init; an exec has a non-empty
// command, an onError that is empty, Fail or Continue, and non-negative
// timeouts; an init's containers decode as corev1.Container with a name
// and an image, and its timeout is not negative; every label selector
// parses. It returns one error listing every problem, as
// ValidateBackupHooks does, or nil; nil hooks are valid.
func ValidateRestoreHooks(h *RestoreHooks) error {
	if h == nil {
		return nil
	}
	var v validator
	for i, rh := range h.Resources {
		at := resourcePath(i, rh.Name)
		v.selector(at, rh.LabelSelector)
		for j, e := range rh.PostHooks {
			v.restoreEntry(fmt.Sprintf("%s.postHooks[%d]", at, j), e)
		}
	}
	return v.err()
}

// validator collects the problems of a spec.
type validator struct{ problems []string }

// add records problem (when not "") of field at path.
func (v *validator) add(path, field, problem string) {
	if problem == "" {
		return
	}
	if field != "" {
		path += ": " + field
	}
	v.problems = append(v.problems, path+" "+problem)
}

// err is every problem as one error, or nil.
func (v *validator) err() error {
	if len(v.problems) == 0 {
		return nil
	}
	return errors.New("invalid hooks: " + strings.Join(v.problems, "; "))
}

// selector records a label selector that does not parse.
func (v *validator) selector(path string, s *metav1.LabelSelector) {
	if s == nil {
		return
	}
	if _, err := metav1.LabelSelectorAsSelector(s); err != nil {
		v.add(path, "labelSelector", fmt.Sprintf("does not parse (%v); fix it", err))
	}
}

// backupEntry checks one pre or post entry of a backup.
func (v *validator) backupEntry(path string, e BackupHookEntry) {
	if e.Exec == nil {
		v.add(path, "", "has no exec; give the hook an exec with a command")
		return
	}
	v.exec(path, e.Exec.Command, e.Exec.OnError)
	v.duration(path, "exec.timeout", e.Exec.Timeout)
}

// restoreEntry checks one postHooks entry of a restore.
func (v *validator) restoreEntry(path string, e RestoreHookEntry) {
	switch {
	case e.Exec == nil && e.Init == nil:
		v.add(path, "", "has neither exec nor init; give the hook one of them")
	case e.Exec != nil && e.Init != nil:
		v.add(path, "", "has both exec and init; give each its own entry in postHooks")
	case e.Exec != nil:
		v.exec(path, e.Exec.Command, e.Exec.OnError)
		v.duration(path, "exec.execTimeout", e.Exec.ExecTimeout)
		v.duration(path, "exec.waitTimeout", e.Exec.WaitTimeout)
	default:
		v.init(path, e.Init)
	}
}

// exec checks an exec hook's command and on-error mode.
func (v *validator) exec(path string, command []string, onError string) {
	v.add(path, "exec.command", commandProblem(command))
	v.add(path, "exec.onError", onErrorProblem(onError))
}

// duration records a negative duration.
func (v *validator) duration(path, field string, d metav1.Duration) {
	v.add(path, field, negativeProblem(d.Duration))
}

// init checks an init hook's containers and timeout.
func (v *validator) init(path string, init *InitRestoreHook) {
	for k, raw := range init.InitContainers {
		_, problem := decodeInitContainer(raw)
		v.add(path, fmt.Sprintf("init.initContainers[%d]", k), problem)
	}
	v.duration(path, "init.timeout", init.Timeout)
}
