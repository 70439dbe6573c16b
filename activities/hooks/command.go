package hooks

import (
	"encoding/json"
	"fmt"
	"strings"
)

// parseCommand reads a command annotation the way Velero does: a value
// that begins with "[" is a JSON array of strings, any other value is the
// executable alone, run without a shell and not split on spaces. Space
// around the value is dropped. It returns the command, or what is wrong
// with the value, worded to follow the annotation's name.
func parseCommand(value string) ([]string, string) {
	v := strings.TrimSpace(value)
	if !strings.HasPrefix(v, "[") {
		return []string{v}, commandProblem([]string{v})
	}
	var cmd []string
	if err := json.Unmarshal([]byte(v), &cmd); err != nil {
		return nil, fmt.Sprintf("is %q, which begins with \"[\" but is not a JSON array of strings (%v); "+
			`write it as ["/bin/sh", "-c", "..."] or as a single executable path`, v, err)
	}
	return cmd, commandProblem(cmd)
}

// commandProblem says what is wrong with a command: nothing, or that it
// has no executable.
func commandProblem(cmd []string) string {
	if len(cmd) == 0 || strings.TrimSpace(cmd[0]) == "" {
		return "is empty; give the executable and its arguments"
	}
	return ""
}
