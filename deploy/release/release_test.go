package release_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/cairn-backup/cairn/activities/resources/restore"
	"github.com/cairn-backup/cairn/deploy/release"
)

// root is the repository root, from this package's folder.
const root = "../.."

// TestEveryCopyAgrees: the Makefile, deploy/ (kustomization, manifests,
// Dockerfile), the chart when there is one and restore.DefaultHelperImage
// all name release.Version.
func TestEveryCopyAgrees(t *testing.T) {
	if restore.DefaultHelperImage != release.Image {
		t.Errorf("restore.DefaultHelperImage is %q, want %q", restore.DefaultHelperImage, release.Image)
	}
	checkMakefile(t)
	checkLine(t, "deploy/kustomization.yaml", `(?m)^\s+newTag:\s*(\S+)\s*$`, release.Version)
	checkLine(t, "deploy/Dockerfile", `(?m)^ARG VERSION=(\S+)`, release.Version)
	for _, m := range []string{"deploy/controller.yaml", "deploy/node-agent.yaml"} {
		checkImages(t, m)
	}
	if _, err := os.Stat(filepath.Join(root, "deploy/helm/cairn/Chart.yaml")); err == nil {
		checkLine(t, "deploy/helm/cairn/Chart.yaml", `(?m)^appVersion:\s*"?([^"\s]+)"?\s*$`, release.Version)
	}
}

// checkMakefile runs `make version` with VERSION unset.
func checkMakefile(t *testing.T) {
	cmd := exec.Command("make", "-s", "--no-print-directory", "version")
	cmd.Dir = root
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "VERSION=") && !strings.HasPrefix(kv, "MAKEFLAGS=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("make version: %v\n%s", err, out)
	}
	if got := strings.TrimSpace(string(out)); got != release.Version {
		t.Errorf("make version says %q, want %q: the Makefile's VERSION should read deploy/release/release.go", got, release.Version)
	}
}

// checkLine wants the first group of pattern in file to be want.
func checkLine(t *testing.T, file, pattern, want string) {
	m := regexp.MustCompile(pattern).FindStringSubmatch(read(t, file))
	if m == nil {
		t.Errorf("%s has no line matching %s", file, pattern)
	} else if m[1] != want {
		t.Errorf("%s says %q, want %q (release.Version)", file, m[1], want)
	}
}

// checkImages wants every image of Cairn's repository in manifest to be release.Image.
func checkImages(t *testing.T, manifest string) {
	re := regexp.MustCompile(`(?m)^\s*(?:-\s*)?image:\s*"?(` + regexp.QuoteMeta(release.Repository) + `\S*?)"?\s*$`)
	found := re.FindAllStringSubmatch(read(t, manifest), -1)
	if len(found) == 0 {
		t.Errorf("%s names no %s image", manifest, release.Repository)
	}
	for _, m := range found {
		if m[1] != release.Image {
			t.Errorf("%s runs %s, want %s", manifest, m[1], release.Image)
		}
	}
}

func read(t *testing.T, file string) string {
	data, err := os.ReadFile(filepath.Join(root, file))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
