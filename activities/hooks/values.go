package hooks

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The checks of single values, shared by the resolution of one pod's
// hooks and the validation of a spec. Each returns "" for a good value,
// or what is wrong with it and the fix, worded to follow the field's name.

// onErrorProblem checks an on-error mode: empty, Fail or Continue.
func onErrorProblem(value string) string {
	switch strings.TrimSpace(value) {
	case "", OnErrorFail, OnErrorContinue:
		return ""
	}
	return fmt.Sprintf("is %q, which is not an on-error mode; use Fail or Continue", value)
}

// negativeProblem checks that a duration is not negative.
func negativeProblem(d time.Duration) string {
	if d >= 0 {
		return ""
	}
	return fmt.Sprintf("is %s, which is negative; use a positive duration, or leave it unset for the default", d)
}

// parseDuration parses a duration annotation; empty is zero.
func parseDuration(value string) (time.Duration, string) {
	v := strings.TrimSpace(value)
	if v == "" {
		return 0, ""
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, fmt.Sprintf("is %q, which is not a duration; use a Go duration such as 30s, 5m or 1h30m", value)
	}
	return d, negativeProblem(d)
}

// parseBool parses a true/false annotation; empty is false.
func parseBool(value string) (bool, string) {
	v := strings.TrimSpace(value)
	if v == "" {
		return false, ""
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Sprintf("is %q, which is not a boolean; use true or false", value)
	}
	return b, ""
}

// filenameProblem checks a dump's file name: a plain name, not a path.
func filenameProblem(name string) string {
	if name == "" || name == "." || name == ".." || strings.Contains(name, "/") {
		return fmt.Sprintf("is %q, which is not a plain file name; use a name without \"/\", such as db.dump, "+
			"or leave it unset for <container>.dump", name)
	}
	return ""
}
