package locations

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// ErrNotFound is wrapped by the errors for a location that does not exist.
var ErrNotFound = errors.New("backup storage location not found")

// Store reads and writes the locations of one namespace. Its methods are
// safe for concurrent use; writers of the same location are serialized by
// the ConfigMap's resource version.
type Store struct {
	client    kubernetes.Interface
	namespace string
}

// NewStore returns the store of namespace, DefaultNamespace when empty.
func NewStore(client kubernetes.Interface, namespace string) *Store {
	if namespace == "" {
		namespace = DefaultNamespace
	}
	return &Store{client: client, namespace: namespace}
}

// Namespace is the namespace the store works in.
func (s *Store) Namespace() string { return s.namespace }

// Get returns location name, or an error wrapping ErrNotFound.
func (s *Store) Get(ctx context.Context, name string) (Location, error) {
	cm, err := s.client.CoreV1().ConfigMaps(s.namespace).Get(ctx, ConfigMapName(name), metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return Location{}, s.notFound(name)
	}
	if err != nil {
		return Location{}, fmt.Errorf("reading backup storage location %q: %w", name, err)
	}
	return fromConfigMap(cm)
}

// List returns every location, sorted by name.
func (s *Store) List(ctx context.Context) ([]Location, error) {
	list, err := s.client.CoreV1().ConfigMaps(s.namespace).List(ctx, metav1.ListOptions{LabelSelector: Label})
	if err != nil {
		return nil, fmt.Errorf("listing backup storage locations in namespace %s: %w", s.namespace, err)
	}
	locs := make([]Location, 0, len(list.Items))
	for i := range list.Items {
		loc, err := fromConfigMap(&list.Items[i])
		if err != nil {
			return nil, err
		}
		locs = append(locs, loc)
	}
	slices.SortFunc(locs, func(a, b Location) int { return strings.Compare(a.Name, b.Name) })
	return locs, nil
}

func (s *Store) notFound(name string) error {
	return fmt.Errorf("%w: %q in namespace %s", ErrNotFound, name, s.namespace)
}
