package restorer_test

import (
	"bytes"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/backend/local"
)

const password = "restorer test password"

// resticBinary returns the restic binary of the test bed. Tests that need
// it skip under -short and fail otherwise when it is missing.
func resticBinary(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("needs the restic binary (skipped with -short)")
	}
	p := os.Getenv("CAIRN_RESTIC")
	if p == "" {
		p, _ = filepath.Abs("../../.tools/bin/restic")
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("restic binary not found at %s: run `make tools`", p)
	}
	return p
}

func restic(t testing.TB, bin, repoDir string, args ...string) string {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), bin, append([]string{"--no-cache", "-r", repoDir}, args...)...)
	cmd.Env = append(os.Environ(), "RESTIC_PASSWORD="+password)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("restic %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// resticRepo creates a repository with restic (initArgs go to init) and
// backs up src with backupArgs.
func resticRepo(t testing.TB, bin, src string, initArgs, backupArgs []string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "repo")
	restic(t, bin, dir, append([]string{"init"}, initArgs...)...)
	restic(t, bin, dir, append(append([]string{"backup", "--host", "testhost"}, backupArgs...), src)...)
	return dir
}

func openRepo(t testing.TB, dir string) *repo.Repository {
	t.Helper()
	be, err := local.Open(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	r, err := repo.Open(t.Context(), be, password, repo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

func randomBytes(seed uint64, n int) []byte {
	b := make([]byte, n)
	rnd := rand.NewChaCha8([32]byte{byte(seed), byte(seed >> 8)})
	_, _ = rnd.Read(b)
	return b
}

func textBytes(seed uint64, n int) []byte {
	words := strings.Fields("the quick brown fox jumps over a lazy dog restic cairn backup kubernetes snapshot tree blob pack index volume")
	rnd := rand.New(rand.NewPCG(seed, 7))
	var b bytes.Buffer
	for b.Len() < n {
		b.WriteString(words[rnd.IntN(len(words))])
		if rnd.IntN(12) == 0 {
			b.WriteByte('\n')
		} else {
			b.WriteByte(' ')
		}
	}
	return b.Bytes()[:n]
}

// makeSource builds the fixture tree under dir/src and returns its path.
// Optional parts the system refuses (device nodes, xattrs) are left out.
func makeSource(t testing.TB, dir string) string {
	t.Helper()
	src := filepath.Join(dir, "src")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	write := func(p string, data []byte, mode fs.FileMode) {
		t.Helper()
		p = filepath.Join(src, p)
		must(os.MkdirAll(filepath.Dir(p), 0o755))
		must(os.WriteFile(p, data, 0o600))
		must(os.Chmod(p, mode))
	}
	mkdir := func(p string, mode fs.FileMode) {
		t.Helper()
		p = filepath.Join(src, p)
		must(os.MkdirAll(p, 0o755))
		must(os.Chmod(p, mode))
	}
	write("empty", nil, 0o644)
	write("small.txt", []byte("hello, restorer\n"), 0o640)
	write("big.bin", randomBytes(1, 12<<20+4321), 0o644)
	write("text.txt", textBytes(2, 3<<20+17), 0o644)
	write("dir/nested/deep/file.txt", []byte("deep\n"), 0o600)
	write("dir/nested/copy.bin", randomBytes(1, 12<<20+4321), 0o644) // same content as big.bin
	mkdir("emptydir", 0o755)
	mkdir("emptydir2/inner", 0o700)
	mkdir("links", 0o755)
	must(os.Symlink("../small.txt", filepath.Join(src, "links/rel")))
	must(os.Symlink(filepath.Join(src, "small.txt"), filepath.Join(src, "links/abs")))
	must(os.Symlink("does/not/exist", filepath.Join(src, "links/dangling")))
	write("hard/a", randomBytes(3, 700<<10), 0o644)
	must(os.Link(filepath.Join(src, "hard/a"), filepath.Join(src, "hard/b")))
	must(os.Link(filepath.Join(src, "hard/a"), filepath.Join(src, "dir/hard-c")))
	write("hard/e1", nil, 0o600)
	must(os.Link(filepath.Join(src, "hard/e1"), filepath.Join(src, "hard/e2")))
	// sparse: 8 MiB with two data islands
	sp := filepath.Join(src, "sparse.img")
	f, err := os.Create(sp)
	must(err)
	must(f.Truncate(8 << 20))
	_, err = f.WriteAt(randomBytes(4, 5000), 2<<20+100)
	must(err)
	_, err = f.WriteAt([]byte("tail"), 8<<20-4)
	must(err)
	must(f.Close())
	write("modes/setuid", []byte("#!/bin/sh\n"), 0o755|fs.ModeSetuid)
	write("modes/setgid", []byte("#!/bin/sh\n"), 0o750|fs.ModeSetgid)
	write("modes/readonly", []byte("ro\n"), 0o444)
	mkdir("modes/sticky", 0o777|fs.ModeSticky)
	mkdir("modes/gdir", 0o2750|fs.ModeSetgid)
	write("modes/rodir/inside", []byte("x"), 0o644)
	must(os.Chmod(filepath.Join(src, "modes/rodir"), 0o555))
	must(unix.Mkfifo(filepath.Join(src, "fifo"), 0o620))
	if os.Geteuid() == 0 {
		must(os.Lchown(filepath.Join(src, "small.txt"), 1234, 5678))
		must(os.Lchown(filepath.Join(src, "links/rel"), 1234, 5678))
		_ = unix.Mknod(filepath.Join(src, "null"), unix.S_IFCHR|0o666, int(unix.Mkdev(1, 3)))
	}
	_ = unix.Setxattr(filepath.Join(src, "text.txt"), "user.cairn", []byte("xattr value"), 0)
	// times, bottom-up so folders keep theirs
	base := time.Date(2021, 3, 4, 5, 6, 7, 890123456, time.UTC)
	var paths []string
	must(filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		paths = append(paths, p)
		return err
	}))
	for i := len(paths) - 1; i >= 0; i-- {
		mt := base.Add(time.Duration(i) * time.Hour)
		at := mt.Add(-time.Minute)
		ts := []unix.Timespec{unix.NsecToTimespec(at.UnixNano()), unix.NsecToTimespec(mt.UnixNano())}
		must(unix.UtimesNanoAt(unix.AT_FDCWD, paths[i], ts, unix.AT_SYMLINK_NOFOLLOW))
	}
	return src
}

// compareTrees checks that got (a restored copy of want) has the same
// entries, types, modes, owners, mtimes, contents, symlink targets and
// hard-link structure. Folder mtimes are compared too.
func compareTrees(t testing.TB, want, got string) {
	t.Helper()
	wantIno := map[uint64]string{} // source inode -> first path
	gotIno := map[string]uint64{}  // first path -> restored inode
	n := 0
	err := filepath.WalkDir(want, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(want, p)
		q := filepath.Join(got, rel)
		n++
		wi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		gi, err := os.Lstat(q)
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			return nil
		}
		ws, gs := wi.Sys().(*syscall.Stat_t), gi.Sys().(*syscall.Stat_t)
		if wi.Mode() != gi.Mode() {
			t.Errorf("%s: mode %v, want %v", rel, gi.Mode(), wi.Mode())
		}
		if ws.Uid != gs.Uid || ws.Gid != gs.Gid {
			t.Errorf("%s: owner %d:%d, want %d:%d", rel, gs.Uid, gs.Gid, ws.Uid, ws.Gid)
		}
		if !wi.ModTime().Equal(gi.ModTime()) && rel != "." {
			t.Errorf("%s: mtime %v, want %v", rel, gi.ModTime(), wi.ModTime())
		}
		switch {
		case wi.Mode().IsRegular():
			a, _ := os.ReadFile(p)
			b, err := os.ReadFile(q)
			if err != nil || !bytes.Equal(a, b) {
				t.Errorf("%s: content differs (%d vs %d bytes): %v", rel, len(b), len(a), err)
			}
			if ws.Nlink > 1 {
				if first, ok := wantIno[ws.Ino]; ok {
					if gotIno[first] != gs.Ino {
						t.Errorf("%s: not a hard link of %s", rel, first)
					}
				} else {
					wantIno[ws.Ino] = rel
					gotIno[rel] = gs.Ino
				}
			}
		case wi.Mode()&fs.ModeSymlink != 0:
			a, _ := os.Readlink(p)
			b, _ := os.Readlink(q)
			if a != b {
				t.Errorf("%s: symlink to %q, want %q", rel, b, a)
			}
		case wi.Mode()&fs.ModeDevice != 0:
			if ws.Rdev != gs.Rdev {
				t.Errorf("%s: device %x, want %x", rel, gs.Rdev, ws.Rdev)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// nothing extra (temporary files) in got
	m := 0
	_ = filepath.WalkDir(got, func(p string, d fs.DirEntry, err error) error {
		m++
		if strings.Contains(d.Name(), ".cairn-restore-") {
			t.Errorf("temporary file left: %s", p)
		}
		return nil
	})
	if m != n {
		t.Errorf("restored tree has %d entries, source %d", m, n)
	}
}
