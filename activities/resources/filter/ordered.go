package filter

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/runtime/schema"
)

// parseOrdered resolves the OrderedResources map: each value is a
// comma-separated list of "ns/name" (namespaced) or "name" (cluster-scoped).
func parseOrdered(c *Catalog, m map[string]string) (map[schema.GroupResource][]string, error) {
	out := map[schema.GroupResource][]string{}
	for k, v := range m {
		r, err := c.Resolve(k)
		if err != nil {
			return nil, fmt.Errorf("ordered resources: %w", err)
		}
		for _, item := range strings.Split(v, ",") {
			item = strings.TrimSpace(item)
			if item == "" {
				continue
			}
			ns, name, hasNS := strings.Cut(item, "/")
			if hasNS != r.Namespaced || (hasNS && (ns == "" || name == "" || strings.Contains(name, "/"))) {
				return nil, fmt.Errorf("ordered resources: %s item %q: want %s", r.Name(), item, map[bool]string{true: "namespace/name", false: "a bare name"}[r.Namespaced])
			}
			out[r.GroupResource()] = append(out[r.GroupResource()], item)
		}
	}
	return out, nil
}

// ParseOrderedResources parses the flag form "pods=ns1/a,ns1/b;persistentvolumes=pv1".
func ParseOrderedResources(s string) (map[string]string, error) {
	out := map[string]string{}
	for _, part := range strings.Split(s, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok || strings.TrimSpace(k) == "" || strings.TrimSpace(v) == "" {
			return nil, fmt.Errorf("ordered resources: %q is not kind=names", part)
		}
		out[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return out, nil
}
