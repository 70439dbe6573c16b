package workflows

import (
	"errors"

	"go.temporal.io/sdk/temporal"
)

// ResultOf reads the result of a backup or restore workflow out of the error
// of a failed run into result, and tells whether it found one.
func ResultOf(err error, result any) bool {
	var ae *temporal.ApplicationError
	if !errors.As(err, &ae) || !ae.HasDetails() {
		return false
	}
	return ae.Details(result) == nil
}
