package cli

import (
	"strings"
	"testing"
)

// TestCreateRefusesBadInput: backup, restore and schedule create refuse
// what the workers would refuse before they dial Temporal (nothing
// listens at the address: a dial would fail with another message), naming
// the flag, the value and what to write instead, every problem at once.
func TestCreateRefusesBadInput(t *testing.T) {
	t.Setenv("CAIRN_TEMPORAL_ADDRESS", "127.0.0.1:1")
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"backup", "create", "b", "--ttl", "3x"}, []string{`cairn: --ttl "3x": not a duration; write e.g. 72h or 30m`}},
		{[]string{"backup", "create", "b", "--ttl", "-1h"}, []string{`--ttl "-1h": negative`}},
		{[]string{"backup", "create", "Bad_Name"}, []string{`cairn: name "Bad_Name": a lowercase RFC 1123 subdomain`}},
		{[]string{"backup", "create", strings.Repeat("b", 64)}, []string{"64 characters; at most 63, since restored objects carry it as a label value"}},
		{[]string{"backup", "create", "b", "--selector", "app in (a"}, []string{`cairn: --selector "app in (a": `, "write e.g. app=web,tier!=db"}},
		{[]string{"backup", "create", "b", "--or-selector", "a=b or c in (d"}, []string{`--or-selector "c in (d"`}},
		{[]string{"backup", "create", "b", "-l", "a=b", "--or-selector", "c=d"}, []string{"--or-selector: a label selector and or-selectors cannot be combined"}},
		{[]string{"backup", "create", "b", "--include-namespaces", "web,db", "--exclude-namespaces", "web"},
			[]string{`--exclude-namespaces "web": is included too; a namespace is either included or excluded`}},
		{[]string{"backup", "create", "b", "--exclude-namespaces", "*,tmp"}, []string{`--exclude-namespaces "*": cannot exclude every namespace`}},
		{[]string{"backup", "create", "b", "--include-namespaces", "*,web"}, []string{`--include-namespaces "*,web": '*' already includes every namespace`}},
		{[]string{"backup", "create", "b", "--include-namespaces", "Web"}, []string{`--include-namespaces "Web": not a namespace name or pattern`}},
		{[]string{"backup", "create", "b", "--exclude-resources", "*"}, []string{`--exclude-resources "*": cannot exclude every resource`}},
		{[]string{"backup", "create", "b", "--labels", "bad key=x"}, []string{`--labels "bad key": name part must consist of`}},
		{[]string{"backup", "create", "b", "--labels", "novalue"}, []string{`"novalue" is not key=value`}},
		{[]string{"backup", "create", "B", "--ttl", "x", "--exclude-namespaces", "*"}, []string{`name "B"`, `--ttl "x"`, `--exclude-namespaces "*"`}},
		{[]string{"backup", "create", "Bad", "--from-schedule", "s"}, []string{`name "Bad"`}},
		{[]string{"backup", "delete", "Bad", "--confirm"}, []string{`name "Bad"`}},
		{[]string{"restore", "create"}, []string{"cairn: --from-backup: give the backup to restore from"}},
		{[]string{"restore", "create", "r", "--from-backup", "Bad"}, []string{`--from-backup "Bad": a lowercase RFC 1123 subdomain`}},
		{[]string{"restore", "create", "r", "--from-backup", "b", "--namespace-mappings", "a:x,a:y"}, []string{`--namespace-mappings "a:x,a:y": a is mapped twice`}},
		{[]string{"restore", "create", "r", "--from-backup", "b", "--namespace-mappings", "a:x,b:x"}, []string{`a and b both map to x`}},
		{[]string{"restore", "create", "r", "--from-backup", "b", "--namespace-mappings", "a:Bad"}, []string{`"Bad" is not a namespace name`}},
		{[]string{"restore", "create", "r", "--from-backup", "b", "--existing-resource-policy", "overwrite"}, []string{`--existing-resource-policy "overwrite": supported values: "none", "update"`}},
		{[]string{"restore", "create", "r", "--from-backup", "b", "--include-namespaces", "a", "--exclude-namespaces", "a"}, []string{`--exclude-namespaces "a": is included too`}},
		{[]string{"restore", "create", "--from-backup", strings.Repeat("b", 60)}, []string{"at most 63"}},
		{[]string{"schedule", "create", "s", "--schedule", "@daily", "--exclude-namespaces", "*"}, []string{`--exclude-namespaces "*"`}},
		{[]string{"schedule", "create", "s", "--schedule", "often"}, []string{`--schedule "often": `, "use five fields"}},
		{[]string{"schedule", "create", "s", "--schedule", "@daily", "--annotations", "=x"}, []string{`--annotations "": name part must be non-empty`}},
	} {
		code, out, errOut := cairn(t, c.args...)
		if code != 1 || strings.Contains(out, "submitted") {
			t.Errorf("cairn %s: exit %d, want 1\n%s%s", strings.Join(c.args, " "), code, out, errOut)
		}
		for _, want := range c.want {
			if !strings.Contains(errOut, want) {
				t.Errorf("cairn %s: %s\nlacks %q", strings.Join(c.args, " "), errOut, want)
			}
		}
	}
}
