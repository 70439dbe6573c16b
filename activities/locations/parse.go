package locations

import (
	"fmt"
	"strings"
)

// ParseConfig reads the values of repeated --config flags, each a
// comma-separated list of key=value, into one map; a later key replaces an
// earlier one. A value may be quoted, as in s3ForcePathStyle="true", and a
// quoted value may hold commas. An empty value (key=) is kept as "", which
// Update takes as "remove the key".
func ParseConfig(flags []string) (map[string]string, error) {
	cfg := make(map[string]string)
	for _, f := range flags {
		items, err := splitUnquoted(f)
		if err != nil {
			return nil, fmt.Errorf("--config %s: %w", f, err)
		}
		for _, item := range items {
			if strings.TrimSpace(item) == "" {
				continue
			}
			k, v, ok := strings.Cut(item, "=")
			k = strings.TrimSpace(unquote(strings.TrimSpace(k)))
			if !ok || k == "" {
				return nil, fmt.Errorf("--config %s: %q is not key=value", f, item)
			}
			cfg[k] = unquote(strings.TrimSpace(v))
		}
	}
	return cfg, nil
}

// splitUnquoted splits s at the commas outside double or single quotes.
func splitUnquoted(s string) ([]string, error) {
	var items []string
	var quote rune
	start := 0
	for i, r := range s {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '"' || r == '\'':
			quote = r
		case r == ',':
			items = append(items, s[start:i])
			start = i + 1
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("unterminated %c quote", quote)
	}
	return append(items, s[start:]), nil
}

// unquote removes one pair of matching surrounding quotes.
func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

// ParseSecretKeyRef reads a Secret key reference as Velero's --credential
// takes it: secret=key, as in credential-file=bsl.
func ParseSecretKeyRef(s string) (SecretKeyRef, error) {
	name, key, ok := strings.Cut(strings.TrimSpace(s), "=")
	ref := SecretKeyRef{Name: strings.TrimSpace(name), Key: strings.TrimSpace(key)}
	if !ok || ref.Name == "" || ref.Key == "" {
		return SecretKeyRef{}, fmt.Errorf("secret reference %q must look like secret-name=key", s)
	}
	if err := ref.validate(); err != nil {
		return SecretKeyRef{}, err
	}
	return ref, nil
}
