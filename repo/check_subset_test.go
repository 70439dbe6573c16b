package repo_test

import (
	"strings"
	"testing"

	"github.com/cairn-backup/cairn/repo"
)

func TestParseCheckSubset(t *testing.T) {
	for _, s := range []string{"1/1", "3/5", "256/256", "10%", "2.5%", "100%", "500M", "2G", "1k", "100B", "1GiB"} {
		sub, err := repo.ParseCheckSubset(s)
		if err != nil {
			t.Errorf("%q: %v", s, err)
			continue
		}
		if sub.String() != s {
			t.Errorf("%q reads back as %q", s, sub.String())
		}
	}
	if sub, _ := repo.ParseCheckSubset("3/5"); sub == nil {
		t.Fatal("3/5 does not parse")
	} else if n, tot, ok := sub.Group(); !ok || n != 3 || tot != 5 {
		t.Errorf("3/5 is group %d of %d (%v)", n, tot, ok)
	}
	for s, want := range map[string]string{
		"0/5":   "1 <= n <= t",
		"6/5":   "1 <= n <= t",
		"1/257": "at most 256",
		"1/2/3": "n/t",
		"a/b":   "n/t",
		"0%":    "above 0%",
		"101%":  "at most 100%",
		"x%":    "percentage",
		"500":   "needs a unit",
		"0M":    "above 0",
		"12Q":   "size",
		"":      "n/t",
	} {
		_, err := repo.ParseCheckSubset(s)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "read-data subset") {
			t.Errorf("%q: error %v, want one naming %q", s, err, want)
		}
	}
}
