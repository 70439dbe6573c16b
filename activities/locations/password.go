package locations

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// passwordBytes is the entropy of a generated repository password.
const passwordBytes = 32

// Password returns the repository password of loc: the Secret key its spec
// names (trailing newlines dropped), or else the shared generated one,
// which it creates on first use.
func (s *Store) Password(ctx context.Context, loc Location) (string, error) {
	ref := loc.Spec.RepositoryPassword
	if ref == nil {
		return s.sharedPassword(ctx)
	}
	v, err := s.readSecretKey(ctx, *ref)
	if err != nil {
		return "", fmt.Errorf("repository password of backup storage location %q: %w", loc.Name, err)
	}
	pw := strings.TrimRight(string(v), "\r\n")
	if pw == "" {
		return "", fmt.Errorf("repository password of backup storage location %q: secret %s/%s key %q holds only a newline", loc.Name, s.namespace, ref.Name, ref.Key)
	}
	return pw, nil
}

// sharedPassword reads the shared password, generating and storing it when
// it does not exist yet. Concurrent callers agree on one password: the
// Secret's create or update fails for all but the first writer, and the
// others read what it wrote.
func (s *Store) sharedPassword(ctx context.Context) (string, error) {
	secrets := s.client.CoreV1().Secrets(s.namespace)
	for range 5 {
		sec, err := secrets.Get(ctx, PasswordSecret, metav1.GetOptions{})
		switch {
		case err == nil:
			if pw := sec.Data[PasswordKey]; len(pw) > 0 {
				return string(pw), nil
			}
		case apierrors.IsNotFound(err):
			sec = nil
		default:
			return "", fmt.Errorf("reading secret %s/%s: %w", s.namespace, PasswordSecret, err)
		}
		pw, err := generatePassword()
		if err != nil {
			return "", err
		}
		if sec == nil {
			sec = &corev1.Secret{
				ObjectMeta: metav1.ObjectMeta{Name: PasswordSecret, Namespace: s.namespace},
				Type:       corev1.SecretTypeOpaque,
				Data:       map[string][]byte{PasswordKey: []byte(pw)},
			}
			_, err = secrets.Create(ctx, sec, metav1.CreateOptions{})
		} else {
			if sec.Data == nil {
				sec.Data = make(map[string][]byte)
			}
			sec.Data[PasswordKey] = []byte(pw)
			_, err = secrets.Update(ctx, sec, metav1.UpdateOptions{}) // conditional on its resource version
		}
		switch {
		case err == nil:
			return pw, nil
		case apierrors.IsAlreadyExists(err) || apierrors.IsConflict(err):
			continue // another writer won; read its password
		default:
			return "", fmt.Errorf("storing the generated repository password in secret %s/%s: %w", s.namespace, PasswordSecret, err)
		}
	}
	return "", fmt.Errorf("secret %s/%s keeps changing; cannot settle the repository password", s.namespace, PasswordSecret)
}

func generatePassword() (string, error) {
	buf := make([]byte, passwordBytes)
	if _, err := rand.Read(buf); err != nil {
		return "", fmt.Errorf("generating a repository password: %w", err)
	}
	return base64.StdEncoding.EncodeToString(buf), nil
}
