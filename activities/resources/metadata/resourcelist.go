package metadata

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
)

// ResourceList is Velero's resource list: "group/version/Kind" (or
// "v1/Kind" for the core group) to the objects' "ns/name" or "name".
type ResourceList map[string][]string

// ResourceListBuilder collects a resource list from many goroutines.
type ResourceListBuilder struct {
	mu   sync.Mutex
	list ResourceList
}

// Add records one object.
func (b *ResourceListBuilder) Add(apiVersion, kind, ns, name string) {
	key := apiVersion + "/" + kind
	entry := name
	if ns != "" {
		entry = ns + "/" + name
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.list == nil {
		b.list = ResourceList{}
	}
	b.list[key] = append(b.list[key], entry)
}

// List returns the list with every entry sorted.
func (b *ResourceListBuilder) List() ResourceList {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := ResourceList{}
	for k, v := range b.list {
		out[k] = slices.Sorted(slices.Values(v))
	}
	return out
}

// Describe prints the list as `velero backup describe --details` does.
func (l ResourceList) Describe() string {
	var b strings.Builder
	b.WriteString("Resource List:\n")
	for _, k := range slices.Sorted(maps.Keys(l)) {
		fmt.Fprintf(&b, "  %s:\n", k)
		for _, item := range l[k] {
			fmt.Fprintf(&b, "    - %s\n", item)
		}
	}
	return b.String()
}
