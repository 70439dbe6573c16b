package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/cairn-backup/cairn/tests/benchrun"
)

// tool runs one program's backup and restore commands.
type tool struct {
	benchrun.Tool
	work  string
	repos map[string]string
}

func newCairn(bin, work string) *tool {
	return &tool{Tool: benchrun.Cairn(bin), work: work, repos: map[string]string{}}
}

func newRestic(bin, work string) *tool {
	return &tool{Tool: benchrun.Restic(bin), work: work, repos: map[string]string{}}
}

// measurement is one timed command.
type measurement = benchrun.Measurement

func (t *tool) exec(sub, repo string, rest ...string) (measurement, error) {
	return t.Run(filepath.Join(t.work, "restic-cache"), sub, repo, rest...)
}

// backup backs src up into the tool's repository named key, creating a new
// repository when fresh.
func (t *tool) backup(key, src string, fresh bool) (measurement, error) {
	repoDir, ok := t.repos[key]
	if fresh || !ok {
		repoDir = filepath.Join(t.work, t.Name+"-"+key)
		_ = os.RemoveAll(repoDir)
		if _, err := t.exec("init", repoDir); err != nil {
			return measurement{}, err
		}
		t.repos[key] = repoDir
	}
	m, err := t.exec("backup", repoDir, src)
	if err != nil {
		return m, err
	}
	m.Bytes = benchrun.TreeSize(src)
	m.RepoSize = benchrun.TreeSize(repoDir)
	return m, nil
}

// restore restores the latest snapshot of repository key and checks the size.
func (t *tool) restore(key, src string) (measurement, error) {
	repoDir, ok := t.repos[key]
	if !ok {
		if _, err := t.backup(key, src, true); err != nil {
			return measurement{}, err
		}
		repoDir = t.repos[key]
	}
	target := filepath.Join(t.work, t.Name+"-restore-"+key)
	_ = os.RemoveAll(target)
	defer os.RemoveAll(target)
	m, err := t.exec("restore", repoDir, "latest", "--target", target)
	if err != nil {
		return m, err
	}
	m.Bytes = benchrun.TreeSize(src)
	if got := benchrun.TreeSize(filepath.Join(target, src)); got != m.Bytes {
		return m, fmt.Errorf("%s restored %d bytes of %s, want %d", t.Name, got, src, m.Bytes)
	}
	m.RepoSize = benchrun.TreeSize(repoDir)
	return m, nil
}
