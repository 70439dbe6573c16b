package backendtest_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/cairn-backup/cairn/repo/backend/backendtest"
)

// fatalTB records the message of a Fatalf and ends the goroutine, as
// testing.T does.
type fatalTB struct {
	testing.TB
	msg string
}

func (f *fatalTB) Helper() {}

func (f *fatalTB) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// fatalOf runs fn with a fatalTB and returns what it failed with.
func fatalOf(t *testing.T, fn func(testing.TB)) string {
	f := &fatalTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(f)
	}()
	<-done
	return f.msg
}

func TestToolBesideGoMod(t *testing.T) {
	root := t.TempDir()
	bin := filepath.Join(root, ".tools", "bin")
	sub := filepath.Join(root, "a", "b")
	for _, d := range []string{bin, sub} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(root, "go.mod"), []byte("module x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bin, "tool"), []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv(backendtest.ToolsEnv, "")
	t.Chdir(sub)
	if got, want := backendtest.Tool(t, "tool"), filepath.Join(bin, "tool"); got != want {
		t.Errorf("Tool = %q, want %q", got, want)
	}
	if msg := fatalOf(t, func(tb testing.TB) { backendtest.Tool(tb, "missing") }); !strings.Contains(msg, "make tools") {
		t.Errorf("Tool of a missing binary failed with %q, want it to say to run `make tools`", msg)
	}
}

func TestToolFromEnv(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "tool"), []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv(backendtest.ToolsEnv, dir)
	if got, want := backendtest.Tool(t, "tool"), filepath.Join(dir, "tool"); got != want {
		t.Errorf("Tool = %q, want %q", got, want)
	}
	if err := os.Chmod(filepath.Join(dir, "tool"), 0o644); err != nil {
		t.Fatal(err)
	}
	if msg := fatalOf(t, func(tb testing.TB) { backendtest.Tool(tb, "tool") }); !strings.Contains(msg, "make tools") {
		t.Errorf("Tool of a non-executable file failed with %q, want it to say to run `make tools`", msg)
	}
}
