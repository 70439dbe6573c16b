package images

import (
	"archive/tar"
	"bytes"
	"io/fs"
	"path"
	"time"
)

// modTime is every entry's modification time, so that the same inputs
// make the same layer.
var modTime = time.Unix(0, 0).UTC()

// layer is one filesystem layer: its entries, in order.
type layer []entry

// entry is a file, directory or symlink of a layer.
type entry struct {
	path     string      // inside the image, without a leading slash
	mode     fs.FileMode // permissions, with fs.ModeDir, fs.ModeSymlink or fs.ModeSticky
	link     string      // a symlink's target
	uid, gid int
	data     []byte // a file's content
}

// dir is a directory owned by root.
func dir(p string, perm fs.FileMode) entry {
	return entry{path: p, mode: fs.ModeDir | perm}
}

// file is a regular file owned by root.
func file(p string, perm fs.FileMode, data []byte) entry {
	return entry{path: p, mode: perm, data: data}
}

// symlink is a symbolic link to target.
func symlink(p, target string) entry {
	return entry{path: p, mode: fs.ModeSymlink | 0o777, link: target}
}

// tar returns the layer as an uncompressed tar archive. A parent directory
// that the layer does not list comes first, as root's with mode 0755.
func (l layer) tar() ([]byte, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	seen := map[string]bool{".": true}
	for _, e := range l {
		for _, p := range parents(e.path) {
			if !seen[p] {
				seen[p] = true
				if err := dir(p, 0o755).write(tw); err != nil {
					return nil, err
				}
			}
		}
		seen[e.path] = true
		if err := e.write(tw); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// parents lists the directories above p, outermost first.
func parents(p string) []string {
	var out []string
	for d := path.Dir(p); d != "." && d != "/"; d = path.Dir(d) {
		out = append([]string{d}, out...)
	}
	return out
}

// write adds the entry's header and content to tw.
func (e entry) write(tw *tar.Writer) error {
	h := &tar.Header{
		Name:    e.path,
		Mode:    int64(e.mode.Perm()),
		Uid:     e.uid,
		Gid:     e.gid,
		ModTime: modTime,
	}
	if e.mode&fs.ModeSticky != 0 {
		h.Mode |= 0o1000
	}
	switch {
	case e.mode.IsDir():
		h.Typeflag, h.Name = tar.TypeDir, e.path+"/"
	case e.mode&fs.ModeSymlink != 0:
		h.Typeflag, h.Linkname = tar.TypeSymlink, e.link
	default:
		h.Typeflag, h.Size = tar.TypeReg, int64(len(e.data))
	}
	if err := tw.WriteHeader(h); err != nil {
		return err
	}
	_, err := tw.Write(e.data)
	return err
}
