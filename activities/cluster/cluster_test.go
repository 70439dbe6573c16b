package cluster

import (
	"strings"
	"testing"
)

func TestScopeAndUnscope(t *testing.T) {
	for _, tc := range []struct {
		name  Name
		in    string
		want  string
		other string // a name of another cluster, which Unscope refuses
	}{
		{"", "backup/nginx", "backup/nginx", ""},
		{"prod-eu", "backup/nginx", "prod-eu/backup/nginx", "prod/backup/nginx"},
		{"prod-eu", "cairn", "prod-eu/cairn", "cairn"},
	} {
		got := tc.name.Scope(tc.in)
		if got != tc.want {
			t.Errorf("%q.Scope(%q) = %q, want %q", tc.name, tc.in, got, tc.want)
		}
		back, ok := tc.name.Unscope(got)
		if !ok || back != tc.in {
			t.Errorf("%q.Unscope(%q) = %q, %v, want %q, true", tc.name, got, back, ok, tc.in)
		}
		if tc.other != "" {
			if _, ok := tc.name.Unscope(tc.other); ok {
				t.Errorf("%q.Unscope(%q) accepted another cluster's name", tc.name, tc.other)
			}
		}
	}
}

func TestOfQueue(t *testing.T) {
	for queue, want := range map[string]Name{
		"cairn": "", "prod-eu/cairn": "prod-eu", "node-agent/n1": "", "prod/node-agent/n1": "",
	} {
		if got := OfQueue(queue, "cairn"); got != want {
			t.Errorf("OfQueue(%q) = %q, want %q", queue, got, want)
		}
	}
	for _, n := range []Name{"", "a", "prod-eu-1"} {
		if got := OfQueue(n.Scope("cairn"), "cairn"); got != n {
			t.Errorf("OfQueue(Scope(cairn)) = %q, want %q", got, n)
		}
	}
}

func TestQuery(t *testing.T) {
	if got, want := Name("").Query("CairnKind = 'backup'"), "(CairnKind = 'backup') AND CairnCluster IS NULL"; got != want {
		t.Errorf("unnamed: %q, want %q", got, want)
	}
	if got, want := Name("east").Query("A = 'x' OR B = 'y'"), "(A = 'x' OR B = 'y') AND CairnCluster = 'east'"; got != want {
		t.Errorf("named: %q, want %q", got, want)
	}
	if got, want := Name("east").Query(""), "CairnCluster = 'east'"; got != want {
		t.Errorf("no query: %q, want %q", got, want)
	}
}

func TestCheck(t *testing.T) {
	for _, ok := range []Name{"", "prod", "eu-west-1", Name(strings.Repeat("a", 40))} {
		if err := ok.Check(); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []Name{"Prod", "a/b", "-x", "x_y", "a'b", Name(strings.Repeat("a", 41))} {
		err := bad.Check()
		if err == nil {
			t.Errorf("%q was accepted", bad)
			continue
		}
		if !strings.Contains(err.Error(), "--cluster-name") || !strings.Contains(err.Error(), string(bad)) {
			t.Errorf("%q: the error names neither the name nor the flag: %v", bad, err)
		}
	}
}
