package activities

import (
	"testing"
	"time"
)

// ShortLockPauses makes lockRepo give up on a held lock at once for the
// rest of the test.
func ShortLockPauses(t *testing.T) {
	tries, lo, hi := lockTries, lockPauseMin, lockPauseMax
	lockTries, lockPauseMin, lockPauseMax = 2, time.Millisecond, 2*time.Millisecond
	t.Cleanup(func() { lockTries, lockPauseMin, lockPauseMax = tries, lo, hi })
}
