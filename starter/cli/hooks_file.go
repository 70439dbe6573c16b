package cli

import (
	"fmt"
	"os"

	"sigs.k8s.io/yaml"
)

// readHooksFile reads the YAML or JSON of a Backup's or Restore's
// spec.hooks (a document with a `resources:` list, in Velero's form) from
// path into a new T; no path is nil. Unknown fields are errors, so that a
// misspelt key does not drop a hook silently.
func readHooksFile[T any](path string) (*T, error) {
	if path == "" {
		return nil, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--hooks-file: %w", err)
	}
	var h T
	if err := yaml.UnmarshalStrict(data, &h); err != nil {
		return nil, fmt.Errorf("--hooks-file %s: %v (the file holds the value of a Velero spec.hooks: a `resources:` list of resource hooks)", path, err)
	}
	return &h, nil
}
