package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cairn-backup/cairn/repo/backend/backendtest"
)

// cairn runs the CLI in-process and returns its exit code and output.
func cairn(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Run(context.Background(), args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func mustCairn(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errOut := cairn(t, args...)
	if code != 0 {
		t.Fatalf("cairn %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

// TestRepoCommands drives `cairn repo` through a repository's life and has
// the real restic read the result.
func TestRepoCommands(t *testing.T) {
	restic := backendtest.Tool(t, "restic")
	dir := t.TempDir()
	repoDir := filepath.Join(dir, "repo")
	src := filepath.Join(dir, "src")
	if err := os.MkdirAll(filepath.Join(src, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{"a.txt": "alpha\n", "sub/b.txt": strings.Repeat("beta\n", 100000)} {
		if err := os.WriteFile(filepath.Join(src, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("CAIRN_REPO_PASSWORD", "first password")
	t.Setenv("RESTIC_PASSWORD", "")

	if out := mustCairn(t, "repo", "init", "-r", repoDir); !strings.Contains(out, "created restic repository") {
		t.Fatalf("init printed %q", out)
	}
	if code, _, errOut := cairn(t, "repo", "init", "-r", repoDir); code == 0 || !strings.Contains(errOut, "config") {
		t.Fatalf("a second init of the same folder: exit %d, %q; want a refusal naming the existing config", code, errOut)
	}
	mustCairn(t, "repo", "backup", "-r", repoDir, "--tag", "one,two", "-q", src)
	if out := mustCairn(t, "repo", "backup", "-r", repoDir, src); !strings.Contains(out, "using parent snapshot") ||
		!strings.Contains(out, "2 unmodified") {
		t.Fatalf("the second backup did not use the first as parent:\n%s", out)
	}

	var sns []struct {
		ID    string   `json:"id"`
		Tags  []string `json:"tags"`
		Paths []string `json:"paths"`
	}
	if err := json.Unmarshal([]byte(mustCairn(t, "repo", "snapshots", "-r", repoDir, "-o", "json")), &sns); err != nil {
		t.Fatal(err)
	}
	if len(sns) != 2 || strings.Join(sns[0].Tags, ",") != "one,two" || sns[0].Paths[0] != src {
		t.Fatalf("snapshots: %+v", sns)
	}
	tagged := mustCairn(t, "repo", "snapshots", "-r", repoDir, "--tag", "two")
	if !strings.Contains(tagged, sns[0].ID[:8]) || strings.Contains(tagged, sns[1].ID[:8]) {
		t.Fatalf("--tag two listed:\n%s", tagged)
	}
	if out := mustCairn(t, "repo", "ls", "-r", repoDir, sns[0].ID[:6]); !strings.Contains(out, src+"/sub/b.txt") {
		t.Fatalf("ls by id prefix:\n%s", out)
	}
	if out := mustCairn(t, "repo", "dump", "-r", repoDir, "latest", src+"/a.txt"); out != "alpha\n" {
		t.Fatalf("dump printed %q", out)
	}
	target := filepath.Join(dir, "restored")
	mustCairn(t, "repo", "restore", "-r", repoDir, "latest", "--target", target)
	if got, _ := os.ReadFile(filepath.Join(target, src, "sub/b.txt")); len(got) != 500000 {
		t.Fatalf("restored b.txt has %d bytes", len(got))
	}
	sub := filepath.Join(dir, "sub-restored")
	mustCairn(t, "repo", "restore", "-r", repoDir, "latest:"+src+"/sub", "--target", sub)
	if _, err := os.Stat(filepath.Join(sub, "b.txt")); err != nil {
		t.Fatalf("SNAPSHOT:SUBFOLDER restore: %v", err)
	}
	if out := mustCairn(t, "repo", "check", "-r", repoDir, "--read-data"); !strings.Contains(out, "no errors were found") {
		t.Fatalf("check: %s", out)
	}

	// Keys: add one, switch to it, retire the first.
	pwFile := filepath.Join(dir, "new-password")
	if err := os.WriteFile(pwFile, []byte("second password\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	mustCairn(t, "repo", "key", "add", "-r", repoDir, "--new-password-file", pwFile)
	keys := mustCairn(t, "repo", "key", "list", "-r", repoDir)
	first := strings.TrimPrefix(strings.Fields(strings.Split(keys, "\n")[1])[0], "*")
	if code, _, errOut := cairn(t, "repo", "key", "remove", "-r", repoDir, first); code == 0 {
		t.Fatalf("removing the key in use succeeded: %s", errOut)
	}
	t.Setenv("CAIRN_REPO_PASSWORD", "")
	mustCairn(t, "repo", "key", "remove", "-r", repoDir, "--password-file", pwFile, first)

	// restic reads everything with the remaining key.
	cmd := exec.Command(restic, "-r", repoDir, "check", "--read-data")
	cmd.Env = append(os.Environ(), "RESTIC_PASSWORD=second password", "RESTIC_CACHE_DIR="+t.TempDir())
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("restic check: %v\n%s", err, out)
	}

	// Bad input: wrong password, missing repository, no password, no target.
	t.Setenv("CAIRN_REPO_PASSWORD", "first password")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"repo", "snapshots", "-r", repoDir}, "wrong password"},
		{[]string{"repo", "snapshots", "-r", filepath.Join(dir, "nowhere")}, "does not exist"},
		{[]string{"repo", "restore", "-r", repoDir, "latest"}, "--target"},
		{[]string{"repo", "backup", "-r", repoDir, filepath.Join(dir, "missing")}, "missing"},
		{[]string{"repo", "snapshots", "-r", "sftp:host:/x"}, "unsupported repository location"},
		{[]string{"repo", "init", "-r", filepath.Join(dir, "r3"), "--compression", "fast"}, "--compression"},
	} {
		code, _, errOut := cairn(t, c.args...)
		if code == 0 || !strings.Contains(errOut, c.want) {
			t.Errorf("cairn %s: exit %d, %q; want an error mentioning %q", strings.Join(c.args, " "), code, errOut, c.want)
		}
	}
	t.Setenv("CAIRN_REPO_PASSWORD", "")
	if code, _, errOut := cairn(t, "repo", "snapshots", "-r", repoDir); code == 0 || !strings.Contains(errOut, "CAIRN_REPO_PASSWORD") {
		t.Errorf("no password: exit %d, %q", code, errOut)
	}
}
