package metadata

import (
	"context"
	"errors"
)

// ErrNotFound is wrapped by ObjectStore.Get and Delete for a missing key.
var ErrNotFound = errors.New("object not found")

// ObjectStore holds objects by slash-separated key. Implementations are safe
// for concurrent use.
type ObjectStore interface {
	// Put stores data at key, replacing what was there.
	Put(ctx context.Context, key string, data []byte) error
	// Get returns the object at key; a missing key wraps ErrNotFound.
	Get(ctx context.Context, key string) ([]byte, error)
	// List returns the keys that start with prefix, sorted.
	List(ctx context.Context, prefix string) ([]string, error)
	// Delete removes key; a missing key wraps ErrNotFound.
	Delete(ctx context.Context, key string) error
}
