package filter

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/discovery"
)

// Discover builds the catalog of every group the server serves, each at its
// preferred version, custom resources included. Subresources are left out.
// A group whose discovery fails (an aggregated API that is down) is left out
// and named in the returned warnings; any other failure is an error.
func Discover(ctx context.Context, d discovery.DiscoveryInterface) (*Catalog, []string, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	lists, err := discovery.ServerPreferredResources(d)
	var warnings []string
	if err != nil {
		var failed *discovery.ErrGroupDiscoveryFailed
		if !errors.As(err, &failed) {
			return nil, nil, fmt.Errorf("discovering the server's resources: %w", err)
		}
		for gv, gerr := range failed.Groups {
			warnings = append(warnings, fmt.Sprintf("discovering group %s: %v", gv, gerr))
		}
	}
	c := NewCatalog(nil)
	for _, list := range lists {
		gv, err := schema.ParseGroupVersion(list.GroupVersion)
		if err != nil {
			return nil, nil, fmt.Errorf("discovery group version %q: %w", list.GroupVersion, err)
		}
		for _, ar := range list.APIResources {
			if strings.Contains(ar.Name, "/") {
				continue
			}
			c.Add(Resource{
				GroupVersionResource: gv.WithResource(ar.Name),
				Kind:                 ar.Kind, Singular: ar.SingularName, ShortNames: ar.ShortNames,
				Namespaced: ar.Namespaced, Verbs: ar.Verbs,
			})
		}
	}
	return c, warnings, nil
}
