package archiver

import (
	"fmt"
	"path/filepath"
	"strings"
)

// Excludes matches absolute paths against restic-style --exclude patterns.
//
// Supported syntax: a pattern is split at "/" into components, each matched
// against one path component with filepath.Match (*, ?, [...] and \
// escapes); "**" matches any number of components. A pattern starting with
// "/" is anchored at the root; any other pattern matches a run of
// components anywhere in the path, so "*.log" excludes every .log file and
// "cache" every entry named cache, at any depth. An excluded directory is
// not descended into. Not supported: negation ("!"), case-insensitive
// patterns and environment variable expansion.
type Excludes struct {
	patterns []pattern
}

type pattern struct {
	anchored bool
	parts    []string
}

// CompileExcludes checks and compiles patterns.
func CompileExcludes(patterns []string) (*Excludes, error) {
	e := &Excludes{}
	for _, p := range patterns {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if strings.HasPrefix(p, "!") {
			return nil, fmt.Errorf("exclude pattern %q: negation is not supported", p)
		}
		cp := pattern{anchored: strings.HasPrefix(p, "/")}
		for _, part := range strings.Split(filepath.ToSlash(filepath.Clean(p)), "/") {
			if part == "" {
				continue
			}
			if _, err := filepath.Match(part, ""); err != nil {
				return nil, fmt.Errorf("exclude pattern %q: %w", p, err)
			}
			cp.parts = append(cp.parts, part)
		}
		if len(cp.parts) > 0 {
			e.patterns = append(e.patterns, cp)
		}
	}
	return e, nil
}

// Match reports whether the absolute path is excluded.
func (e *Excludes) Match(path string) bool {
	if e == nil || len(e.patterns) == 0 {
		return false
	}
	comps := strings.Split(strings.TrimPrefix(filepath.ToSlash(path), "/"), "/")
	for _, p := range e.patterns {
		if p.anchored {
			if matchAt(p.parts, comps) {
				return true
			}
			continue
		}
		for off := range comps {
			if matchAt(p.parts, comps[off:]) {
				return true
			}
		}
	}
	return false
}

// matchAt reports whether parts match a leading run of comps. A match
// that ends before the path's last component excludes an ancestor, and so
// the path.
func matchAt(parts, comps []string) bool {
	if len(parts) == 0 {
		return true
	}
	if parts[0] == "**" {
		for i := 0; i <= len(comps); i++ {
			if matchAt(parts[1:], comps[i:]) {
				return true
			}
		}
		return false
	}
	if len(comps) == 0 {
		return false
	}
	if ok, _ := filepath.Match(parts[0], comps[0]); !ok {
		return false
	}
	return matchAt(parts[1:], comps[1:])
}
