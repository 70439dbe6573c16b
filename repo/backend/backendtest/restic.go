package backendtest

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cairn-backup/cairn/repo/backend"
)

// ResticRepo says how the restic binary reaches the repository a backend
// stores.
type ResticRepo struct {
	// Location is restic's -r argument; empty means the backend's
	// Location(), which every Cairn backend gives in restic's syntax.
	Location string
	// Env adds environment variables, such as AWS_ACCESS_KEY_ID=….
	Env []string
	// Options adds flags, such as "-o", "s3.region=eu-west-3".
	Options []string
}

const resticPassword = "cairn-backendtest"

// ResticCompat checks with the test bed's restic binary that be stores a
// repository exactly as restic does, both ways: a repository restic made
// elsewhere, copied in file by file through be, passes `restic check
// --read-data`; and after restic backs up into it directly, be lists and
// loads every file restic wrote. be must be empty. The test fails, saying
// to run `make tools`, if restic is not installed.
func ResticCompat(t *testing.T, be backend.Backend, repo ResticRepo) {
	t.Helper()
	r := restic{t: t, bin: Tool(t, "restic")}
	if repo.Location == "" {
		repo.Location = be.Location()
	}

	tree := t.TempDir()
	writeTree(t, tree, 1)
	src := filepath.Join(t.TempDir(), "src")
	r.run(ResticRepo{Location: src}, "init")
	r.run(ResticRepo{Location: src}, "backup", tree)

	files := readRepo(t, src)
	for h, data := range files {
		if err := be.Save(t.Context(), h, data); err != nil {
			t.Fatalf("copying %v into %s: %v", h, be.Location(), err)
		}
	}
	for _, ft := range backend.FileTypes {
		want := make(map[string]int64)
		for h, data := range files {
			if h.Type == ft {
				want[h.Name] = int64(len(data))
			}
		}
		if got := listAll(t, be, ft); !maps.Equal(got, want) {
			t.Errorf("after copying restic's repository, List(%s) = %v, want %v", ft, got, want)
		}
	}
	r.run(repo, "check", "--read-data")

	tree2 := t.TempDir()
	writeTree(t, tree2, 2)
	r.run(repo, "backup", tree2)
	var snaps []json.RawMessage
	if err := json.Unmarshal(r.run(repo, "snapshots", "--json"), &snaps); err != nil {
		t.Fatalf("reading restic's snapshot list: %v", err)
	}
	if len(snaps) != 2 {
		t.Errorf("restic lists %d snapshots, want 2", len(snaps))
	}
	if got := listAll(t, be, backend.SnapshotFile); len(got) != 2 {
		t.Errorf("after restic's second backup, List(snapshots) = %v, want 2 files", got)
	}
	for _, ft := range append([]backend.FileType{backend.ConfigFile}, backend.FileTypes...) {
		checkReadable(t, be, ft)
	}
}

// checkReadable loads every file of type ft and compares its length with
// List's and Stat's sizes.
func checkReadable(t *testing.T, be backend.Backend, ft backend.FileType) {
	t.Helper()
	sizes := map[string]int64{"": -1}
	if ft != backend.ConfigFile {
		sizes = listAll(t, be, ft)
	}
	for name, size := range sizes {
		h := backend.Handle{Type: ft, Name: name}
		fi, err := be.Stat(t.Context(), h)
		if err != nil {
			t.Errorf("stat %v written by restic: %v", h, err)
			continue
		}
		if size >= 0 && fi.Size != size {
			t.Errorf("%v: Stat size %d, List size %d", h, fi.Size, size)
		}
		if got := load(t, be, h, 0, 0); int64(len(got)) != fi.Size {
			t.Errorf("%v: loaded %d bytes, Stat says %d", h, len(got), fi.Size)
		}
	}
}

// restic runs the restic binary for one test.
type restic struct {
	t   *testing.T
	bin string
}

// run runs restic on repo and returns its standard output; it fails the
// test if restic fails.
func (r restic) run(repo ResticRepo, args ...string) []byte {
	r.t.Helper()
	full := append([]string{"--repo", repo.Location, "--no-cache", "--quiet"}, repo.Options...)
	full = append(full, args...)
	cmd := exec.CommandContext(r.t.Context(), r.bin, full...)
	cmd.Env = append(resticEnv(), repo.Env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		r.t.Fatalf("restic %s: %v\n%s%s", strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.Bytes()
}

// resticEnv is the test's environment without restic's and AWS's settings,
// plus the repository password.
func resticEnv() []string {
	env := []string{"RESTIC_PASSWORD=" + resticPassword}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "RESTIC_") && !strings.HasPrefix(kv, "AWS_") {
			env = append(env, kv)
		}
	}
	return env
}

// writeTree fills dir with a few files for restic to back up.
func writeTree(t *testing.T, dir string, seed uint64) {
	t.Helper()
	files := map[string][]byte{
		"small.txt":       []byte("hello from cairn\n"),
		"sub/random.bin":  randomData(seed, 3<<20),
		"sub/empty":       nil,
		"sub/deeper/note": randomData(seed+1, 100),
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// readRepo reads every file of the local restic repository at dir, by
// handle.
func readRepo(t *testing.T, dir string) map[backend.Handle][]byte {
	t.Helper()
	files := make(map[backend.Handle][]byte)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		parts := strings.Split(filepath.ToSlash(rel), "/")
		var h backend.Handle
		switch {
		case len(parts) == 1 && parts[0] == "config":
			h = backend.Handle{Type: backend.ConfigFile}
		case len(parts) == 2:
			h = backend.Handle{Type: backend.FileType(parts[0]), Name: parts[1]}
		case len(parts) == 3 && parts[0] == string(backend.PackFile):
			h = backend.Handle{Type: backend.PackFile, Name: parts[2]}
		default:
			t.Fatalf("restic wrote %s, which is outside the layout", rel)
		}
		if h.Path() != filepath.ToSlash(rel) {
			t.Fatalf("restic wrote %s; Handle.Path() says %s", rel, h.Path())
		}
		data, err := os.ReadFile(p)
		files[h] = data
		return err
	})
	if err != nil {
		t.Fatalf("reading restic's repository: %v", err)
	}
	return files
}
