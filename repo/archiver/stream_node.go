package archiver

import (
	"os"

	"github.com/cairn-backup/cairn/repo"
)

// streamMode is the mode restic gives the file of a --stdin backup.
const streamMode = 0o644

// saveRoot saves the root tree holding the stream's file node, sets the
// archiver's root and counts the file as the file archiver counts a new
// one. The savers must have finished.
func (s *streamer) saveRoot() error {
	a := s.a
	n := s.node(a.st.bytesDone.Load(), s.ids.list())
	s.ids = streamIDs{} // the node holds the ids now
	id, err := a.repo.SaveTree(a.ctx, &repo.Tree{Nodes: []repo.Node{n}})
	if err != nil {
		return err
	}
	a.rootID = id
	a.st.filesNew.Add(1)
	a.st.filesRead.Add(1)
	a.st.filesDone.Add(1)
	a.st.bytesProcessed.Add(n.Size)
	return nil
}

// node is the stream's file node, as restic's --stdin writes it: mode
// 0644, the snapshot's time as mtime, ctime and atime, owned by the
// process's user and group.
func (s *streamer) node(size uint64, content []repo.ID) repo.Node {
	a := s.a
	uid, gid := uint32(os.Getuid()), uint32(os.Getgid())
	t := a.opts.Time
	return repo.Node{
		Name: s.name, Type: repo.NodeTypeFile, Mode: streamMode,
		ModTime: t, AccessTime: t, ChangeTime: t,
		UID: uid, GID: gid, User: a.names.user(uid), Group: a.names.group(gid),
		Size: size, Content: content,
	}
}
