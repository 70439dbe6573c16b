// Package compose checks docker-compose.yaml without a Docker engine: it is
// loaded with the Compose specification's own library, and the services,
// ports, environment, mounts and images must agree with each other and with
// the rest of the repository (the Dockerfile, the pinned versions, the
// search attributes Cairn's workflows set).
package compose

import (
	"context"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"

	"github.com/cairn-backup/cairn/tests/testbed"
)

func moduleRoot(t *testing.T) string {
	t.Helper()
	root, err := testbed.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// load loads docker-compose.yaml as `docker compose` would, with env as the
// shell's environment.
func load(t *testing.T, env ...string) *types.Project {
	t.Helper()
	root := moduleRoot(t)
	opts, err := cli.NewProjectOptions([]string{filepath.Join(root, "docker-compose.yaml")},
		cli.WithWorkingDirectory(root), cli.WithEnv(env), cli.WithInterpolation(true),
		cli.WithResolvedPaths(true), cli.WithConsistency(true), cli.WithNormalization(true))
	if err != nil {
		t.Fatal(err)
	}
	p, err := opts.LoadProject(context.Background())
	if err != nil {
		t.Fatalf("loading docker-compose.yaml: %v", err)
	}
	return p
}

func service(t *testing.T, p *types.Project, name string) types.ServiceConfig {
	t.Helper()
	s, err := p.GetService(name)
	if err != nil {
		t.Fatalf("docker-compose.yaml: %v", err)
	}
	return s
}

// env returns a variable of a service's environment; missing is an error.
func env(t *testing.T, s types.ServiceConfig, name string) string {
	t.Helper()
	v, ok := s.Environment[name]
	if !ok || v == nil {
		t.Fatalf("service %s sets no %s", s.Name, name)
	}
	return *v
}

// hostPort splits an address "host:port" or a URL's host.
func hostPort(t *testing.T, addr string) (string, uint32) {
	t.Helper()
	if u, err := url.Parse(addr); err == nil && u.Host != "" {
		addr = u.Host
	}
	h, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatalf("address %q: %v", addr, err)
	}
	n, err := strconv.ParseUint(p, 10, 16)
	if err != nil {
		t.Fatalf("address %q: %v", addr, err)
	}
	return h, uint32(n)
}

// publishes reports whether s publishes its container port to the host.
func publishes(s types.ServiceConfig, port uint32) bool {
	for _, p := range s.Ports {
		if p.Target == port && p.Published != "" {
			return true
		}
	}
	return false
}

// bindSource returns the host path bind-mounted at target in s.
func bindSource(s types.ServiceConfig, target string) (string, bool) {
	for _, v := range s.Volumes {
		if v.Type == types.VolumeTypeBind && v.Target == target {
			return v.Source, true
		}
	}
	return "", false
}

// goModVersion returns the version go.mod requires of module path.
func goModVersion(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(moduleRoot(t), "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s*` + regexp.QuoteMeta(path) + `\s+(v\S+)`).FindSubmatch(data)
	if m == nil {
		t.Fatalf("go.mod does not require %s", path)
	}
	return string(m[1])
}

// imageTag returns the tag of an image reference.
func imageTag(image string) string {
	if i := strings.LastIndex(image, ":"); i > strings.LastIndex(image, "/") {
		return image[i+1:]
	}
	return ""
}
