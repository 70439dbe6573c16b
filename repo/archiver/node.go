package archiver

import (
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/cairn-backup/cairn/repo"
)

// nodeType maps a file mode to restic's node type.
func nodeType(m fs.FileMode) repo.NodeType {
	switch m & fs.ModeType {
	case 0:
		return repo.NodeTypeFile
	case fs.ModeDir:
		return repo.NodeTypeDir
	case fs.ModeSymlink:
		return repo.NodeTypeSymlink
	case fs.ModeDevice | fs.ModeCharDevice:
		return repo.NodeTypeCharDev
	case fs.ModeDevice:
		return repo.NodeTypeDev
	case fs.ModeNamedPipe:
		return repo.NodeTypeFifo
	case fs.ModeSocket:
		return repo.NodeTypeSocket
	}
	return repo.NodeTypeIrregular
}

// newNode builds the node restic records on Linux for an entry named name
// at path with the given lstat result. Symlink targets are read from path.
// Content and Subtree are left for the caller.
func (a *archiver) newNode(name, path string, fi fs.FileInfo) (repo.Node, error) {
	n := repo.Node{
		Name:    name,
		Type:    nodeType(fi.Mode()),
		Mode:    fi.Mode() & repo.ModeMask,
		ModTime: fi.ModTime(),
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return n, fmt.Errorf("%s: no stat data", path)
	}
	n.AccessTime = time.Unix(st.Atim.Unix())
	n.ChangeTime = time.Unix(st.Ctim.Unix())
	n.UID, n.GID = st.Uid, st.Gid
	n.User, n.Group = a.names.user(st.Uid), a.names.group(st.Gid)
	n.Inode = st.Ino
	n.DeviceID = uint64(st.Dev)
	switch n.Type {
	case repo.NodeTypeFile:
		n.Size = uint64(st.Size)
		n.Links = uint64(st.Nlink)
		n.Content = []repo.ID{}
	case repo.NodeTypeSymlink:
		target, err := os.Readlink(path)
		if err != nil {
			return n, err
		}
		n.LinkTarget = target
		n.Links = uint64(st.Nlink)
	case repo.NodeTypeDev, repo.NodeTypeCharDev:
		n.Device = uint64(st.Rdev)
		n.Links = uint64(st.Nlink)
	}
	return n, nil
}

// names caches user and group names by id, as restic does.
type names struct {
	mu     sync.Mutex
	users  map[uint32]string
	groups map[uint32]string
}

func newNames() *names {
	return &names{users: map[uint32]string{}, groups: map[uint32]string{}}
}

func (c *names) user(uid uint32) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if n, ok := c.users[uid]; ok {
		return n
	}
	var name string
	if u, err := user.LookupId(strconv.FormatUint(uint64(uid), 10)); err == nil {
		name = u.Username
	}
	c.users[uid] = name
	return name
}

func (c *names) group(gid uint32) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if n, ok := c.groups[gid]; ok {
		return n
	}
	var name string
	if g, err := user.LookupGroupId(strconv.FormatUint(uint64(gid), 10)); err == nil {
		name = g.Name
	}
	c.groups[gid] = name
	return name
}
