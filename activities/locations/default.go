package locations

import (
	"context"
	"errors"
	"fmt"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/util/retry"
)

// ErrNoDefault is returned by Default when no location is the default.
var ErrNoDefault = errors.New("no default backup storage location")

// SetDefault makes location name the default and clears the flag on every
// other one, so that exactly one location is the default.
func (s *Store) SetDefault(ctx context.Context, name string) error {
	if _, err := s.Get(ctx, name); err != nil {
		return err
	}
	if err := s.clearDefaults(ctx, name); err != nil {
		return err
	}
	return s.setDefaultFlag(ctx, name, true)
}

// Default returns the default location.
func (s *Store) Default(ctx context.Context) (Location, error) {
	locs, err := s.List(ctx)
	if err != nil {
		return Location{}, err
	}
	var found []Location
	for _, l := range locs {
		if l.Spec.Default {
			found = append(found, l)
		}
	}
	switch len(found) {
	case 0:
		return Location{}, fmt.Errorf("%w in namespace %s: set one with `cairn backup-location set NAME --default`", ErrNoDefault, s.namespace)
	case 1:
		return found[0], nil
	}
	names := make([]string, len(found))
	for i, l := range found {
		names[i] = l.Name
	}
	return Location{}, fmt.Errorf("several default backup storage locations in namespace %s: %s", s.namespace, strings.Join(names, ", "))
}

// clearDefaults clears the default flag of every location but keep.
func (s *Store) clearDefaults(ctx context.Context, keep string) error {
	locs, err := s.List(ctx)
	if err != nil {
		return err
	}
	for _, l := range locs {
		if l.Spec.Default && l.Name != keep {
			if err := s.setDefaultFlag(ctx, l.Name, false); err != nil {
				return err
			}
		}
	}
	return nil
}

// setDefaultFlag changes only the default flag of location name, retrying
// when the location changes meanwhile.
func (s *Store) setDefaultFlag(ctx context.Context, name string, def bool) error {
	return retry.RetryOnConflict(retry.DefaultRetry, func() error {
		loc, err := s.Get(ctx, name)
		if err != nil || loc.Spec.Default == def {
			return err
		}
		loc.Spec.Default = def
		cm, err := toConfigMap(s.namespace, loc)
		if err != nil {
			return err
		}
		_, err = s.client.CoreV1().ConfigMaps(s.namespace).Update(ctx, cm, metav1.UpdateOptions{})
		if err != nil && !apierrors.IsConflict(err) {
			return fmt.Errorf("setting the default flag of backup storage location %q: %w", name, err)
		}
		return err
	})
}
