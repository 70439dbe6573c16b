package restorer

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"golang.org/x/sys/unix"

	"github.com/cairn-backup/cairn/repo"
)

// restoreMeta sets ownership (as root), mode (not for symlinks), extended
// attributes and times of p without following a symlink, in restic's
// order: chown before chmod, which would otherwise lose setuid bits.
func (rs *restorer) restoreMeta(p string, n *repo.Node) error {
	if rs.asRoot && !rs.opts.NoOwnership {
		if err := os.Lchown(p, int(n.UID), int(n.GID)); err != nil {
			return err
		}
	}
	if n.Type != repo.NodeTypeSymlink {
		if err := os.Chmod(p, n.Mode&(fs.ModePerm|fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky)); err != nil {
			return err
		}
	}
	for _, xa := range n.ExtendedAttributes {
		if err := unix.Lsetxattr(p, xa.Name, xa.Value, 0); err != nil {
			rs.warn(fmt.Errorf("setting extended attribute %s of %s: %w", xa.Name, p, err))
		}
	}
	atime := n.AccessTime
	if atime.IsZero() {
		atime = n.ModTime
	}
	ts := []unix.Timespec{timespec(atime), timespec(n.ModTime)}
	if err := unix.UtimesNanoAt(unix.AT_FDCWD, p, ts, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		return fmt.Errorf("setting times: %w", err)
	}
	return nil
}

func timespec(t time.Time) unix.Timespec {
	return unix.NsecToTimespec(t.UnixNano())
}

// mknod creates a fifo or device node.
func mknod(p string, n *repo.Node) error {
	mode := uint32(n.Mode & fs.ModePerm)
	switch n.Type {
	case repo.NodeTypeFifo:
		mode |= unix.S_IFIFO
	case repo.NodeTypeCharDev:
		mode |= unix.S_IFCHR
	case repo.NodeTypeDev:
		mode |= unix.S_IFBLK
	default:
		return errors.New("not a special file")
	}
	return unix.Mknod(p, mode, int(n.Device))
}
