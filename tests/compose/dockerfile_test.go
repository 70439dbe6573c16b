package compose

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestDockerfile: deploy/Dockerfile builds the package that `make build`
// builds, statically, with a Go at least as new as go.mod asks for, and its
// entrypoint is that binary.
func TestDockerfile(t *testing.T) {
	df := readFile(t, "deploy/Dockerfile")
	mk := readFile(t, "Makefile")
	m := regexp.MustCompile(`(?m)^build:\n\t\$\(GO\) build -tags nodev -ldflags "\$\(LDFLAGS\)" -o bin/cairn (\S+)$`).FindStringSubmatch(mk)
	if m == nil {
		t.Fatal("the Makefile's build target does not say which package it builds")
	}
	build := regexp.MustCompile(`(?s)CGO_ENABLED=0 .*go build -tags nodev [^\n]*-o (\S+) ` + regexp.QuoteMeta(m[1]) + `\n`).FindStringSubmatch(df)
	if build == nil {
		t.Fatalf("deploy/Dockerfile does not build %s with CGO_ENABLED=0", m[1])
	}
	if !strings.Contains(df, "buildinfo.version=${VERSION}") || !strings.Contains(df, "buildinfo.commit=${COMMIT}") {
		t.Error("deploy/Dockerfile does not stamp the version and commit into the binary as make build does")
	}
	if !strings.Contains(df, "COPY --from=build "+build[1]+" /usr/local/bin/cairn\n") ||
		!strings.Contains(df, `ENTRYPOINT ["/usr/local/bin/cairn"]`) {
		t.Errorf("the image's entrypoint is not the binary built from %s", m[1])
	}
	img := regexp.MustCompile(`(?m)^FROM .*golang:(\d+)\.(\d+)`).FindStringSubmatch(df)
	mod := regexp.MustCompile(`(?m)^go (\d+)\.(\d+)`).FindStringSubmatch(readFile(t, "go.mod"))
	if img == nil || mod == nil || atoi(img[1])*1000+atoi(img[2]) < atoi(mod[1])*1000+atoi(mod[2]) {
		t.Errorf("the build stage's Go %v is older than go.mod's %v", img, mod)
	}
	for _, ignored := range []string{".tools", ".dev", "bin", ".git"} {
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(ignored) + `$`).MatchString(readFile(t, "deploy/Dockerfile.dockerignore")) {
			t.Errorf("deploy/Dockerfile.dockerignore does not keep %s out of the build context", ignored)
		}
	}
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
