package archiver

import (
	"os"
	"path/filepath"
)

// scan counts the files, directories and bytes below the targets, without
// excluded entries, for the progress totals. It runs next to the backup
// and stops when the backup's context ends.
func (a *archiver) scan(targets []string) {
	defer a.st.scanDone.Store(true)
	for _, t := range targets {
		fi, err := os.Lstat(t)
		if err != nil || a.excludes.Match(t) {
			continue
		}
		a.scanEntry(t, fi)
	}
}

func (a *archiver) scanEntry(path string, fi os.FileInfo) {
	switch {
	case fi.Mode().IsRegular():
		a.st.totalFiles.Add(1)
		a.st.totalBytes.Add(uint64(fi.Size()))
	case fi.IsDir():
		a.st.totalDirs.Add(1)
		a.scanDir(path)
	}
}

func (a *archiver) scanDir(dir string) {
	f, err := os.Open(dir)
	if err != nil {
		return
	}
	names, _ := f.Readdirnames(-1)
	f.Close()
	for _, name := range names {
		if a.ctx.Err() != nil {
			return
		}
		p := filepath.Join(dir, name)
		if a.excludes.Match(p) {
			continue
		}
		if fi, err := os.Lstat(p); err == nil {
			a.scanEntry(p, fi)
		}
	}
}
