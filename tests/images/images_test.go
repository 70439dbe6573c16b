package images

import (
	"archive/tar"
	"bytes"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// want is what one image must be.
type want struct {
	refs       []string
	entrypoint []string
	cmd        []string
	user       string
	files      map[string]func(fsEntry) bool // path → a check of it
}

func TestImagesAreWhatTheyClaim(t *testing.T) {
	imgs := built(t)
	t.Logf("cold Build: %v", shared.cold)
	if len(imgs) != 4 || !slices.Equal(imgs[0].Refs, []string{PauseRef}) {
		t.Fatalf("Build returned %v, want the 4 images, the pause image first", imgs)
	}
	for _, w := range wants() {
		t.Run(w.refs[0], func(t *testing.T) { checkImage(t, imageWith(t, w.refs[0]), w) })
	}
}

// wants lists every image with its refs, config and telling files.
func wants() []want {
	shell := map[string]func(fsEntry) bool{
		"bin/busybox": executable,
		"bin/sh":      linksTo("busybox"),
		"tmp":         isDir(os.ModeSticky | 0o777),
	}
	with := func(m map[string]func(fsEntry) bool) map[string]func(fsEntry) bool {
		out := map[string]func(fsEntry) bool{}
		for k, v := range shell {
			out[k] = v
		}
		for k, v := range m {
			out[k] = v
		}
		return out
	}
	return []want{
		{refs: []string{PauseRef}, entrypoint: []string{"/pause"},
			files: map[string]func(fsEntry) bool{"pause": executable}},
		{refs: []string{BusyboxRef, BusyboxShortRef}, cmd: []string{"sh"}, files: with(map[string]func(fsEntry) bool{
			"bin/httpd": linksTo("busybox"), "bin/wget": linksTo("busybox"), "root": isDir(0o700), "var": isDir(0o755),
			"etc/passwd": contains("root:x:0:0:", "nobody:x:65534:"), "etc/group": contains("root:x:0:", "nobody:x:65534:"),
		})},
		{refs: []string{NginxRef}, entrypoint: []string{"/docker-entrypoint.sh"}, files: with(map[string]func(fsEntry) bool{
			"docker-entrypoint.sh":            func(f fsEntry) bool { return executable(f) && bytes.Equal(f.data, entrypoint) },
			"usr/share/nginx/html/index.html": contains("Welcome to nginx!"),
			"var/log/nginx":                   isDir(0o755),
		})},
		{refs: []string{CairnRef}, entrypoint: []string{"/usr/local/bin/cairn"}, user: "65532", files: with(map[string]func(fsEntry) bool{
			"usr/local/bin/cairn": func(f fsEntry) bool { return executable(f) && len(f.data) > 1<<20 },
			"etc/passwd":          contains("root:x:0:0:", "nonroot:x:65532:65532:"),
			"home/nonroot":        func(f fsEntry) bool { return isDir(0o700)(f) && f.hdr.Uid == 65532 },
		})},
	}
}

// checkImage compares the tarball of img with w.
func checkImage(t *testing.T, img Image, w want) {
	if !slices.Equal(img.Refs, w.refs) {
		t.Errorf("refs %v, want %v", img.Refs, w.refs)
	}
	// go-containerregistry lists an image's tags in map order.
	if tags := repoTags(t, img.Tarball); !slices.Equal(slices.Sorted(slices.Values(tags)), slices.Sorted(slices.Values(w.refs))) {
		t.Errorf("the tarball's RepoTags are %v, want %v in any order", tags, w.refs)
	}
	image := load(t, img.Tarball)
	cf, err := image.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	checkConfig(t, cf, w)
	files := filesOf(t, image)
	for p, ok := range w.files {
		if f, found := files[p]; !found {
			t.Errorf("no /%s", p)
		} else if !ok(f) {
			t.Errorf("/%s is not as it should be: %+v", p, *f.hdr)
		}
	}
}

// checkConfig compares an image's config with w.
func checkConfig(t *testing.T, cf *v1.ConfigFile, w want) {
	if cf.OS != "linux" || cf.Architecture != "amd64" {
		t.Errorf("platform %s/%s, want linux/amd64", cf.OS, cf.Architecture)
	}
	if !slices.Equal(cf.Config.Entrypoint, w.entrypoint) || !slices.Equal(cf.Config.Cmd, w.cmd) {
		t.Errorf("entrypoint %q cmd %q, want %q %q", cf.Config.Entrypoint, cf.Config.Cmd, w.entrypoint, w.cmd)
	}
	if cf.Config.User != w.user {
		t.Errorf("user %q, want %q", cf.Config.User, w.user)
	}
	if w.refs[0] != PauseRef && !slices.Contains(cf.Config.Env, envPath) {
		t.Errorf("env %q has no %s", cf.Config.Env, envPath)
	}
}

// repoTags reads the refs that the tarball's manifest.json names.
func repoTags(t *testing.T, p string) []string {
	m, err := tarball.LoadManifest(func() (io.ReadCloser, error) { return os.Open(p) })
	if err != nil || len(m) != 1 {
		t.Fatalf("manifest.json of %s: %v (%d images)", p, err, len(m))
	}
	return m[0].RepoTags
}

func TestBusyboxHasALinkPerApplet(t *testing.T) {
	out, err := exec.Command("/bin/busybox", "--list").Output()
	if err != nil {
		t.Skipf("no /bin/busybox to compare with: %v", err)
	}
	files := filesOf(t, load(t, imageWith(t, BusyboxRef).Tarball))
	for _, a := range strings.Fields(string(out)) {
		if f, ok := files["bin/"+a]; a != "busybox" && (!ok || !linksTo("busybox")(f)) {
			t.Errorf("no /bin/%s linking to busybox", a)
		}
	}
}

// executable says f is a regular file with mode 0755.
func executable(f fsEntry) bool {
	return f.hdr.Typeflag == tar.TypeReg && f.hdr.Mode&0o7777 == 0o755
}

// linksTo says f is a symlink to target.
func linksTo(target string) func(fsEntry) bool {
	return func(f fsEntry) bool { return f.hdr.Typeflag == tar.TypeSymlink && f.hdr.Linkname == target }
}

// isDir says f is a directory with the permissions and sticky bit of mode.
func isDir(mode os.FileMode) func(fsEntry) bool {
	bits := int64(mode.Perm())
	if mode&os.ModeSticky != 0 {
		bits |= 0o1000
	}
	return func(f fsEntry) bool { return f.hdr.Typeflag == tar.TypeDir && f.hdr.Mode&0o7777 == bits }
}

// contains says f is a file holding every one of subs.
func contains(subs ...string) func(fsEntry) bool {
	return func(f fsEntry) bool {
		for _, s := range subs {
			if f.hdr.Typeflag != tar.TypeReg || !strings.Contains(string(f.data), s) {
				return false
			}
		}
		return true
	}
}
