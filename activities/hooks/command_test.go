package hooks

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseCommand(t *testing.T) {
	for _, tc := range []struct {
		name, value string
		want        []string
		problem     string
	}{
		{name: "plain command is one element, not split", value: "/bin/fsfreeze --freeze /data", want: []string{"/bin/fsfreeze --freeze /data"}},
		{name: "plain command is trimmed", value: " /bin/sync\n", want: []string{"/bin/sync"}},
		{name: "JSON array", value: `["/bin/sh", "-c", "echo hi > /tmp/x"]`, want: []string{"/bin/sh", "-c", "echo hi > /tmp/x"}},
		{name: "JSON array with space around", value: "  [\"sync\"]\n", want: []string{"sync"}},
		{name: "JSON-looking value that does not parse", value: `["/bin/sh", "-c"`, problem: "not a JSON array of strings"},
		{name: "JSON array of non-strings", value: `[1, 2]`, problem: "not a JSON array of strings"},
		{name: "empty JSON array", value: `[]`, problem: "is empty"},
		{name: "JSON array with an empty executable", value: `["", "x"]`, problem: "is empty"},
		{name: "blank value", value: "   ", problem: "is empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, problem := parseCommand(tc.value)
			if tc.problem != "" {
				if !strings.Contains(problem, tc.problem) {
					t.Fatalf("problem %q, want %q", problem, tc.problem)
				}
				return
			}
			if problem != "" || !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %q (problem %q), want %q", got, problem, tc.want)
			}
		})
	}
}
