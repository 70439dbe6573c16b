package podexec

import (
	"strings"
	"testing"
)

func TestTailKeepsTheLastBytes(t *testing.T) {
	for _, tc := range []struct {
		writes []string
		n      int
		want   string
	}{
		{[]string{"abc"}, 5, "abc"},
		{[]string{"abc", "def"}, 5, "bcdef"},
		{[]string{"abcdefgh"}, 3, "fgh"},
		{[]string{"ab", strings.Repeat("x", 10), "yz"}, 4, "xxyz"},
		{nil, 4, ""},
	} {
		tl := newTail(tc.n)
		for _, w := range tc.writes {
			if n, err := tl.Write([]byte(w)); n != len(w) || err != nil {
				t.Fatalf("Write(%q) = %d, %v", w, n, err)
			}
		}
		if got := tl.String(); got != tc.want {
			t.Errorf("writes %q, n %d: tail %q, want %q", tc.writes, tc.n, got, tc.want)
		}
	}
}
