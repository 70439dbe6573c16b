package interop

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/archiver"
	"github.com/cairn-backup/cairn/repo/backend"
	"github.com/cairn-backup/cairn/repo/backend/local"
	"github.com/cairn-backup/cairn/repo/backend/s3"
	"github.com/cairn-backup/cairn/repo/restorer"
	"github.com/cairn-backup/cairn/tests/testbed"
)

const password = "interop password"

// place is one repository location, usable by both tools.
type place struct {
	name     string
	restic   string   // restic's -r value
	env      []string // restic's environment for it
	options  []string // restic's -o options
	open     func(t *testing.T) backend.Backend
	preparer func(t *testing.T) backend.Backend // creates the folder tree or bucket
}

func localPlace(t *testing.T) place {
	dir := filepath.Join(t.TempDir(), "repo")
	return place{
		name: "local", restic: dir,
		open: func(t *testing.T) backend.Backend {
			be, err := local.Open(context.Background(), dir)
			must(t, err)
			return be
		},
		preparer: func(t *testing.T) backend.Backend {
			be, err := local.Create(context.Background(), dir)
			must(t, err)
			return be
		},
	}
}

func s3Place(t *testing.T, prefix string) place {
	bed := testbed.ForTest(t)
	cfg := bed.S3.Config(prefix)
	return place{
		name:    "s3",
		restic:  "s3:" + bed.S3.URL + "/" + bed.S3.Bucket + "/" + prefix,
		env:     []string{"AWS_ACCESS_KEY_ID=" + bed.S3.AccessKey, "AWS_SECRET_ACCESS_KEY=" + bed.S3.SecretKey},
		options: []string{"-o", "s3.region=" + bed.S3.Region, "-o", "s3.bucket-lookup=path"},
		open: func(t *testing.T) backend.Backend {
			be, err := s3.Open(context.Background(), cfg)
			must(t, err)
			return be
		},
		preparer: func(t *testing.T) backend.Backend {
			be, err := s3.Create(context.Background(), cfg)
			must(t, err)
			return be
		},
	}
}

// restic runs the restic binary on p and returns its standard output.
func (p place) resticRun(t *testing.T, args ...string) string {
	t.Helper()
	bin, err := testbed.Tool("restic")
	must(t, err)
	full := append(append([]string{"-r", p.restic}, p.options...), args...)
	cmd := exec.Command(bin, full...)
	cmd.Env = append(os.Environ(), "RESTIC_PASSWORD="+password, "RESTIC_CACHE_DIR="+t.TempDir())
	cmd.Env = append(cmd.Env, p.env...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("restic %s: %v\n%s\n%s", strings.Join(args, " "), err, out, stderr.String())
	}
	return string(out)
}

// resticBackup backs dir up with restic and returns the snapshot id.
func (p place) resticBackup(t *testing.T, dir string, extra ...string) string {
	out := p.resticRun(t, append([]string{"backup", "--json", dir}, extra...)...)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var summary struct {
		MessageType string `json:"message_type"`
		SnapshotID  string `json:"snapshot_id"`
	}
	must(t, json.Unmarshal([]byte(lines[len(lines)-1]), &summary))
	if summary.SnapshotID == "" {
		t.Fatalf("restic backup printed no snapshot id:\n%s", out)
	}
	return summary.SnapshotID
}

// resticRestore restores a snapshot with restic and returns the target.
func (p place) resticRestore(t *testing.T, id string) string {
	target := t.TempDir()
	p.resticRun(t, "restore", id, "--target", target)
	return target
}

func (p place) cairnOpen(t *testing.T) *repo.Repository {
	r, err := repo.Open(context.Background(), p.open(t), password, repo.Options{})
	must(t, err)
	t.Cleanup(func() { r.Close() })
	return r
}

func (p place) cairnBackup(t *testing.T, dir string) string {
	r := p.cairnOpen(t)
	res, err := archiver.Backup(context.Background(), r, []string{dir}, archiver.Options{})
	must(t, err)
	if res.Warnings != 0 {
		t.Fatalf("cairn backup of %s had %d warnings", dir, res.Warnings)
	}
	return res.SnapshotID.String()
}

func (p place) cairnRestore(t *testing.T, id string) string {
	r := p.cairnOpen(t)
	sn, err := r.FindSnapshot(context.Background(), id)
	must(t, err)
	target := t.TempDir()
	_, err = restorer.Restore(context.Background(), r, sn, restorer.Options{Target: target})
	must(t, err)
	return target
}

func (p place) cairnCheck(t *testing.T) {
	r := p.cairnOpen(t)
	res, err := r.Check(context.Background(), repo.CheckOptions{ReadData: true})
	if err != nil {
		t.Fatalf("cairn check --read-data: %v (%+v)", err, res)
	}
}

func sources(t *testing.T, n int) []string {
	var dirs []string
	base := t.TempDir()
	for i := range n {
		dir := filepath.Join(base, "src"+string(rune('a'+i)))
		must(t, os.MkdirAll(dir, 0o755))
		makeSource(t, dir, uint64(i+1))
		dirs = append(dirs, dir)
	}
	return dirs
}

// TestTakingTurns: Cairn creates a repository, then Cairn and restic take
// turns appending snapshots (restic with compression off and auto); both
// tools' read-data checks pass and each restores every snapshot byte for
// byte, with modes, mtimes, symlinks and hard links.
func TestTakingTurns(t *testing.T) {
	for _, mk := range []func(*testing.T) place{
		localPlace,
		func(t *testing.T) place { return s3Place(t, "interop/turns") },
	} {
		p := mk(t)
		t.Run(p.name, func(t *testing.T) {
			be := p.preparer(t)
			r, err := repo.Init(context.Background(), be, password, repo.Options{})
			must(t, err)
			must(t, r.Close())
			src := sources(t, 4)
			ids := []string{
				p.cairnBackup(t, src[0]),
				p.resticBackup(t, src[1], "--compression", "off"),
				p.cairnBackup(t, src[2]),
				p.resticBackup(t, src[3], "--compression", "auto"),
			}
			p.resticRun(t, "check", "--read-data")
			p.cairnCheck(t)
			for i, id := range ids {
				want := snapshotTree(t, src[i])
				compareTrees(t, "restic's restore of snapshot "+id[:8], want, snapshotTree(t, filepath.Join(p.resticRestore(t, id), src[i])))
				compareTrees(t, "cairn's restore of snapshot "+id[:8], want, snapshotTree(t, filepath.Join(p.cairnRestore(t, id), src[i])))
			}
		})
	}
}

// TestResticRepository: a repository restic creates, in both format
// versions, is read, restored and extended by Cairn.
func TestResticRepository(t *testing.T) {
	for _, version := range []string{"1", "2"} {
		for _, mk := range []func(*testing.T) place{
			localPlace,
			func(t *testing.T) place { return s3Place(t, "interop/restic-v"+version) },
		} {
			p := mk(t)
			t.Run(p.name+"/v"+version, func(t *testing.T) {
				p.resticRun(t, "init", "--repository-version", version)
				src := sources(t, 2)
				id := p.resticBackup(t, src[0])
				compareTrees(t, "cairn's restore", snapshotTree(t, src[0]), snapshotTree(t, filepath.Join(p.cairnRestore(t, id), src[0])))
				if version == "2" {
					id2 := p.cairnBackup(t, src[1])
					p.resticRun(t, "check", "--read-data")
					compareTrees(t, "restic's restore", snapshotTree(t, src[1]), snapshotTree(t, filepath.Join(p.resticRestore(t, id2), src[1])))
				}
			})
		}
	}
}
