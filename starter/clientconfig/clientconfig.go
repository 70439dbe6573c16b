// Package clientconfig is the cairn CLI's configuration file, as Velero's
// `velero client config` keeps one: defaults for the flags a user would
// otherwise type on every command. A flag beats its environment variable,
// which beats the file, which beats the built-in default.
//
// The file is JSON, an object of string values, at
// $XDG_CONFIG_HOME/cairn/config.json (~/.config/cairn/config.json), readable
// by its owner only.
package clientconfig

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/cairn-backup/cairn/activities/cluster"
)

// The keys the file may hold.
const (
	// Namespace is Cairn's namespace (-n, $CAIRN_NAMESPACE).
	Namespace = "namespace"
	// ClusterName is the cluster's name (--cluster-name, $CAIRN_CLUSTER_NAME).
	ClusterName = "cluster-name"
	// TemporalAddress is Temporal's frontend (--temporal-address).
	TemporalAddress = "temporal-address"
	// TemporalNamespace is the Temporal namespace (--temporal-namespace).
	TemporalNamespace = "temporal-namespace"
)

// checks validates the value of each key.
var checks = map[string]func(string) error{
	Namespace: func(v string) error {
		if msgs := validation.IsDNS1123Label(v); len(msgs) > 0 {
			return errors.New(strings.Join(msgs, "; "))
		}
		return nil
	},
	ClusterName: func(v string) error { return cluster.Name(v).Check() },
	TemporalAddress: func(v string) error {
		if _, port, err := net.SplitHostPort(v); err != nil || port == "" {
			return errors.New("want host:port, such as temporal-frontend.temporal:7233")
		}
		return nil
	},
	TemporalNamespace: func(v string) error {
		if strings.TrimSpace(v) != v || v == "" {
			return errors.New("want a Temporal namespace's name")
		}
		return nil
	},
}

// veleroOnly are the keys of Velero's client configuration that Cairn
// has no use for, with the reason.
var veleroOnly = map[string]string{
	"features":  "Cairn has no feature flags",
	"colorized": "Cairn prints no colours",
	"cacert":    "downloads use the location's presigned URLs, verified with the system's roots",
}

// Keys lists the keys the file may hold, sorted.
func Keys() []string { return slices.Sorted(maps.Keys(checks)) }

// Config is the file's contents: a value per key.
type Config map[string]string

// Path is where the file lives.
func Path() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("finding the configuration folder: %w", err)
	}
	return filepath.Join(dir, "cairn", "config.json"), nil
}

// Load reads the file; a missing file is an empty Config, and so is a
// process with no configuration folder (no $HOME, as in a container).
func Load() (Config, error) {
	path, err := Path()
	if err != nil {
		return Config{}, nil
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return Config{}, nil
	}
	if err != nil {
		return nil, err
	}
	c := Config{}
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("the client configuration %s is not a JSON object of strings (%v): fix it, or remove it and set the keys again with `cairn client config set`", path, err)
	}
	return c, nil
}

// Check says what is wrong with setting key to value; an empty value
// unsets the key and is always right for a known key.
func Check(key, value string) error {
	check, ok := checks[key]
	if why, velero := veleroOnly[key]; velero {
		return fmt.Errorf("client configuration key %q is Velero's and means nothing to Cairn: %s; use one of %s", key, why, strings.Join(Keys(), ", "))
	}
	if !ok {
		return fmt.Errorf("unknown client configuration key %q: use one of %s", key, strings.Join(Keys(), ", "))
	}
	if value == "" {
		return nil
	}
	if err := check(value); err != nil {
		return fmt.Errorf("%s=%q: %w", key, value, err)
	}
	return nil
}

// Save writes c to the file, replacing it whole, so that a reader never
// sees half of it.
func (c Config) Save() error {
	path, err := Path()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".config-*.json")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
