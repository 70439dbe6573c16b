package locations

import (
	"context"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Delete removes location name and its own credentials Secret. Secrets the
// user made, the shared repository password and the data in the bucket
// stay.
func (s *Store) Delete(ctx context.Context, name string) error {
	err := s.client.CoreV1().ConfigMaps(s.namespace).Delete(ctx, ConfigMapName(name), metav1.DeleteOptions{})
	if apierrors.IsNotFound(err) {
		return s.notFound(name)
	}
	if err != nil {
		return fmt.Errorf("deleting backup storage location %q: %w", name, err)
	}
	return s.deleteOwnCredentials(ctx, name)
}
