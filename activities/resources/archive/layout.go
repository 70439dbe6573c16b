package archive

import (
	"fmt"
	"path"
	"strings"
)

// FormatVersion is the Velero backup format version written to
// metadata/version.
const FormatVersion = "1.1.0"

// VersionFile is the path of the format version file.
const VersionFile = "metadata/version"

// Scope folder names.
const (
	namespacesDir = "namespaces"
	clusterDir    = "cluster"
	preferredTag  = "-preferredversion"
)

// ItemPath returns the legacy (unversioned) path of an object:
// resources/<resource>/namespaces/<ns>/<name>.json, or .../cluster/<name>.json
// when ns is empty.
func ItemPath(resource, ns, name string) string {
	return path.Join("resources", resource, scopePath(ns, name))
}

// PreferredPath returns the path of an object under its preferred version's
// folder, resources/<resource>/<version>-preferredversion/….
func PreferredPath(resource, version, ns, name string) string {
	return path.Join("resources", resource, version+preferredTag, scopePath(ns, name))
}

func scopePath(ns, name string) string {
	if ns == "" {
		return path.Join(clusterDir, name+".json")
	}
	return path.Join(namespacesDir, ns, name+".json")
}

// ParseItemPath splits a legacy item path ("resources/…", with or without a
// leading slash) into resource, namespace ("" for cluster-scoped) and name.
// Versioned paths and other files give ok false.
func ParseItemPath(p string) (resource, ns, name string, ok bool) {
	parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
	if len(parts) < 4 || parts[0] != "resources" || !strings.HasSuffix(parts[len(parts)-1], ".json") {
		return "", "", "", false
	}
	name = strings.TrimSuffix(parts[len(parts)-1], ".json")
	switch {
	case len(parts) == 4 && parts[2] == clusterDir:
		return parts[1], "", name, name != ""
	case len(parts) == 5 && parts[2] == namespacesDir:
		return parts[1], parts[3], name, name != "" && parts[3] != ""
	}
	return "", "", "", false
}

// checkElement rejects names that cannot be one path element.
func checkElement(what, s string) error {
	if s == "" || s == "." || s == ".." || strings.Contains(s, "/") {
		return fmt.Errorf("%s %q cannot be a path element", what, s)
	}
	return nil
}
