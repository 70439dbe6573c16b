package locations

import (
	"context"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Create stores a new location with the status it carries (see Check). It
// normalizes and validates loc, and checks that the name is free and that
// the Secrets it names exist, before it writes anything. A CredentialsFile
// goes into the location's own Secret, which the spec then references. A
// location without its own repository password makes sure the shared one
// exists. With Spec.Default, every other location stops being the default.
func (s *Store) Create(ctx context.Context, loc Location) (Location, error) {
	Normalize(&loc)
	if err := Validate(loc); err != nil {
		return Location{}, err
	}
	if err := s.checkNamespace(ctx); err != nil {
		return Location{}, fmt.Errorf("creating backup storage location %q: %w", loc.Name, err)
	}
	_, err := s.client.CoreV1().ConfigMaps(s.namespace).Get(ctx, ConfigMapName(loc.Name), metav1.GetOptions{})
	switch {
	case err == nil:
		return Location{}, fmt.Errorf("backup storage location %q already exists in namespace %s", loc.Name, s.namespace)
	case apierrors.IsNotFound(err):
	default:
		return Location{}, fmt.Errorf("creating backup storage location %q: %w", loc.Name, err)
	}
	if err := s.checkSecretRefs(ctx, loc); err != nil {
		return Location{}, err
	}
	if loc.Spec.RepositoryPassword == nil {
		if _, err := s.sharedPassword(ctx); err != nil {
			return Location{}, fmt.Errorf("creating backup storage location %q: %w", loc.Name, err)
		}
	}
	createdSecret := false
	if loc.CredentialsFile != nil {
		if createdSecret, err = s.putOwnCredentials(ctx, loc.Name, loc.CredentialsFile); err != nil {
			return Location{}, fmt.Errorf("creating backup storage location %q: %w", loc.Name, err)
		}
		ref := ownCredentials(loc.Name)
		loc.Spec.Credential = &ref
	}
	loc.ResourceVersion = ""
	cm, err := toConfigMap(s.namespace, loc)
	if err == nil {
		cm, err = s.client.CoreV1().ConfigMaps(s.namespace).Create(ctx, cm, metav1.CreateOptions{})
	}
	if err != nil {
		if createdSecret {
			if derr := s.deleteOwnCredentials(ctx, loc.Name); derr != nil {
				err = fmt.Errorf("%w (and %w)", err, derr)
			}
		}
		return Location{}, fmt.Errorf("creating backup storage location %q: %w", loc.Name, err)
	}
	loc.ResourceVersion = cm.ResourceVersion
	loc.CredentialsFile = nil
	if loc.Spec.Default {
		if err := s.clearDefaults(ctx, loc.Name); err != nil {
			return loc, err
		}
	}
	return loc, nil
}

// checkNamespace fails when the store's namespace does not exist. A client
// that may not read namespaces learns it from its first write instead.
func (s *Store) checkNamespace(ctx context.Context) error {
	_, err := s.client.CoreV1().Namespaces().Get(ctx, s.namespace, metav1.GetOptions{})
	switch {
	case apierrors.IsNotFound(err):
		return fmt.Errorf("namespace %s does not exist: install Cairn there, or choose Cairn's namespace", s.namespace)
	case err != nil && !apierrors.IsForbidden(err):
		return fmt.Errorf("reading namespace %s: %w", s.namespace, err)
	}
	return nil
}
