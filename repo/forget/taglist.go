package forget

import (
	"slices"
	"strings"

	"github.com/cairn-backup/cairn/repo"
)

// TagList is a set of tags a snapshot must all carry to match, as one
// --keep-tag value gives them. The list {""} matches untagged snapshots.
type TagList []string

// ParseTagList splits a comma-separated --keep-tag value and trims the
// space around each tag, as restic does: "a, b" is {"a", "b"} and "" is
// {""}.
func ParseTagList(s string) TagList {
	var l TagList
	for t := range strings.SplitSeq(s, ",") {
		l = append(l, strings.TrimSpace(t))
	}
	return l
}

// String formats l as restic prints it in reasons: "[a, b]".
func (l TagList) String() string { return "[" + strings.Join(l, ", ") + "]" }

// Match reports whether sn carries every tag of l, with restic's rule for
// the empty tag: reaching an "" in l matches a snapshot without tags.
func (l TagList) Match(sn *repo.Snapshot) bool {
	for _, tag := range l {
		if tag == "" && len(sn.Tags) == 0 {
			return true
		}
		if !slices.Contains(sn.Tags, tag) {
			return false
		}
	}
	return true
}
