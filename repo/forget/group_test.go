package forget

import (
	"strings"
	"testing"

	"github.com/cairn-backup/cairn/repo"
)

func TestParseGroupBy(t *testing.T) {
	for in, want := range map[string]GroupBy{
		"host,paths":     DefaultGroupBy,
		"":               {},
		"tags":           {Tags: true},
		"hosts,path,tag": {Host: true, Paths: true, Tags: true},
		"paths,host":     DefaultGroupBy,
		"host,,":         {Host: true},
		"host, tags":     {Host: true, Tags: true},
	} {
		got, err := ParseGroupBy(in)
		if err != nil || got != want {
			t.Errorf("ParseGroupBy(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, in := range []string{"hostname", "host,time", "HOST"} {
		if _, err := ParseGroupBy(in); err == nil || !strings.Contains(err.Error(), "--group-by") {
			t.Errorf("ParseGroupBy(%q): %v", in, err)
		}
	}
	if s := (GroupBy{Host: true, Paths: true, Tags: true}).String(); s != "host,paths,tags" {
		t.Errorf("String: %q", s)
	}
}

func TestGroupSnapshots(t *testing.T) {
	mk := func(host string, paths, tags []string) *repo.Snapshot {
		return &repo.Snapshot{Hostname: host, Paths: paths, Tags: tags}
	}
	sns := []*repo.Snapshot{
		mk("b", []string{"/y", "/x"}, []string{"t2", "t1"}),
		mk("a", []string{"/x"}, nil),
		mk("b", []string{"/x", "/y"}, []string{"t1", "t2"}),
		mk("a", []string{"/x"}, []string{"t1"}),
		mk("b", []string{"/x"}, nil),
	}
	for _, c := range []struct {
		by   GroupBy
		want string
	}{
		{DefaultGroupBy, "host [a], paths [/x]: 1 3 | host [b], paths [/x]: 4 | host [b], paths [/x, /y]: 0 2"},
		{GroupBy{}, ": 0 1 2 3 4"},
		{GroupBy{Tags: true}, ": 1 4 | tags [t1]: 3 | tags [t1, t2]: 0 2"},
		{GroupBy{Host: true, Tags: true}, "host [a]: 1 | host [a], tags [t1]: 3 | host [b]: 4 | host [b], tags [t1, t2]: 0 2"},
		{GroupBy{Paths: true}, "paths [/x]: 1 3 4 | paths [/x, /y]: 0 2"},
	} {
		var parts []string
		for _, g := range GroupSnapshots(sns, c.by) {
			s := g.Key.String() + ":"
			for _, sn := range g.Snapshots {
				for i := range sns {
					if sns[i] == sn {
						s += " " + string(rune('0'+i))
					}
				}
			}
			parts = append(parts, s)
		}
		if got := strings.Join(parts, " | "); got != c.want {
			t.Errorf("group by %q:\n got %s\nwant %s", c.by, got, c.want)
		}
	}
	if sns[0].Paths[0] != "/y" || sns[0].Tags[0] != "t2" {
		t.Error("grouping reordered a snapshot's paths or tags")
	}
}
