package locations

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

// ErrChanged is wrapped by Update's error when the location changed since
// it was read (its status too: the periodic validation records it).
var ErrChanged = errors.New("it changed since it was read; try again")

// Update replaces the spec and status of an existing location, validated
// as in Create. A non-empty ResourceVersion makes the update fail when the
// location changed since it was read. A CredentialsFile replaces the
// location's own Secret; a spec that no longer references that Secret
// removes it. With Spec.Default, every other location stops being the
// default.
func (s *Store) Update(ctx context.Context, loc Location) (Location, error) {
	Normalize(&loc)
	if err := Validate(loc); err != nil {
		return Location{}, err
	}
	if _, err := s.Get(ctx, loc.Name); err != nil {
		return Location{}, err
	}
	if err := s.checkSecretRefs(ctx, loc); err != nil {
		return Location{}, err
	}
	if loc.Spec.RepositoryPassword == nil {
		if _, err := s.sharedPassword(ctx); err != nil {
			return Location{}, fmt.Errorf("updating backup storage location %q: %w", loc.Name, err)
		}
	}
	if loc.CredentialsFile != nil {
		if _, err := s.putOwnCredentials(ctx, loc.Name, loc.CredentialsFile); err != nil {
			return Location{}, fmt.Errorf("updating backup storage location %q: %w", loc.Name, err)
		}
		ref := ownCredentials(loc.Name)
		loc.Spec.Credential = &ref
	}
	cm, err := toConfigMap(s.namespace, loc)
	if err == nil {
		cm, err = s.client.CoreV1().ConfigMaps(s.namespace).Update(ctx, cm, metav1.UpdateOptions{})
	}
	switch {
	case apierrors.IsConflict(err):
		return Location{}, fmt.Errorf("updating backup storage location %q: %w", loc.Name, ErrChanged)
	case err != nil:
		return Location{}, fmt.Errorf("updating backup storage location %q: %w", loc.Name, err)
	}
	loc.ResourceVersion = cm.ResourceVersion
	loc.CredentialsFile = nil
	if loc.Spec.Credential == nil || *loc.Spec.Credential != ownCredentials(loc.Name) {
		if err := s.deleteOwnCredentials(ctx, loc.Name); err != nil {
			return loc, err
		}
	}
	if loc.Spec.Default {
		if err := s.clearDefaults(ctx, loc.Name); err != nil {
			return loc, err
		}
	}
	return loc, nil
}

// SetStatus records the outcome of a validation without touching the spec.
func (s *Store) SetStatus(ctx context.Context, name string, st Status) error {
	enc, err := encodeStatus(st)
	if err != nil {
		return fmt.Errorf("encoding the status of backup storage location %q: %w", name, err)
	}
	patch, err := json.Marshal(map[string]any{"data": map[string]string{statusKey: enc}})
	if err != nil {
		return fmt.Errorf("encoding the status of backup storage location %q: %w", name, err)
	}
	_, err = s.client.CoreV1().ConfigMaps(s.namespace).Patch(ctx, ConfigMapName(name), types.MergePatchType, patch, metav1.PatchOptions{})
	if apierrors.IsNotFound(err) {
		return s.notFound(name)
	}
	if err != nil {
		return fmt.Errorf("updating the status of backup storage location %q: %w", name, err)
	}
	return nil
}
