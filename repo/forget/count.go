package forget

import (
	"fmt"
	"strconv"
)

// Unlimited as a Policy count keeps every snapshot of its kind (restic's
// "unlimited", stored as -1).
const Unlimited = -1

// ParseCount parses a --keep-last/-hourly/... value: a count of 0 or more,
// or "unlimited" (also accepted as -1, which restic before 0.17 took).
func ParseCount(s string) (int, error) {
	if s == "unlimited" {
		return Unlimited, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < Unlimited {
		return 0, fmt.Errorf("invalid count %q: use a number of snapshots (0 or more) or unlimited", s)
	}
	return n, nil
}

// FormatCount is the inverse of ParseCount.
func FormatCount(n int) string {
	if n == Unlimited {
		return "unlimited"
	}
	return strconv.Itoa(n)
}
