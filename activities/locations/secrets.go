package locations

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// readSecretKey returns the value of ref, which must be present and not
// empty. Errors name the Secret and key, never the value.
func (s *Store) readSecretKey(ctx context.Context, ref SecretKeyRef) ([]byte, error) {
	sec, err := s.client.CoreV1().Secrets(s.namespace).Get(ctx, ref.Name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return nil, fmt.Errorf("secret %s/%s does not exist", s.namespace, ref.Name)
	}
	if err != nil {
		return nil, fmt.Errorf("reading secret %s/%s: %w", s.namespace, ref.Name, err)
	}
	v, ok := sec.Data[ref.Key]
	if !ok {
		return nil, fmt.Errorf("secret %s/%s has no key %q", s.namespace, ref.Name, ref.Key)
	}
	if len(v) == 0 {
		return nil, fmt.Errorf("secret %s/%s: key %q is empty", s.namespace, ref.Name, ref.Key)
	}
	return v, nil
}

// checkSecretRefs verifies that the Secrets a spec names exist and hold
// their keys.
func (s *Store) checkSecretRefs(ctx context.Context, loc Location) error {
	for _, ref := range []*SecretKeyRef{loc.Spec.Credential, loc.Spec.RepositoryPassword} {
		if ref == nil || (loc.CredentialsFile != nil && *ref == ownCredentials(loc.Name)) {
			continue
		}
		if _, err := s.readSecretKey(ctx, *ref); err != nil {
			return fmt.Errorf("backup storage location %q: %w", loc.Name, err)
		}
	}
	return nil
}

// ownCredentials is the reference to location name's own credentials.
func ownCredentials(name string) SecretKeyRef {
	return SecretKeyRef{Name: CredentialsSecretName(name), Key: CredentialsKey}
}

// putOwnCredentials writes data into location name's own Secret and reports
// whether it created the Secret.
func (s *Store) putOwnCredentials(ctx context.Context, name string, data []byte) (created bool, err error) {
	secrets := s.client.CoreV1().Secrets(s.namespace)
	sec := &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{
			Name:      CredentialsSecretName(name),
			Namespace: s.namespace,
			Labels:    map[string]string{Label: name},
		},
		Type: corev1.SecretTypeOpaque,
		Data: map[string][]byte{CredentialsKey: data},
	}
	_, err = secrets.Create(ctx, sec, metav1.CreateOptions{})
	if apierrors.IsAlreadyExists(err) {
		_, err = secrets.Update(ctx, sec, metav1.UpdateOptions{})
		if err != nil {
			return false, fmt.Errorf("updating secret %s/%s: %w", s.namespace, sec.Name, err)
		}
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("creating secret %s/%s: %w", s.namespace, sec.Name, err)
	}
	return true, nil
}

// deleteOwnCredentials removes location name's own Secret, if any.
func (s *Store) deleteOwnCredentials(ctx context.Context, name string) error {
	err := s.client.CoreV1().Secrets(s.namespace).Delete(ctx, CredentialsSecretName(name), metav1.DeleteOptions{})
	if err != nil && !apierrors.IsNotFound(err) {
		return fmt.Errorf("deleting secret %s/%s: %w", s.namespace, CredentialsSecretName(name), err)
	}
	return nil
}
