package backendtest

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// ToolsEnv names the environment variable that may point at the folder
// holding the test bed's binaries (versitygw, restic, …); without it they
// are looked for in .tools/bin beside the module's go.mod.
const ToolsEnv = "CAIRN_TOOLS_BIN"

// Tool returns the path of the test bed's binary name. It fails the test,
// saying to run `make tools`, if the binary is not installed: tests that
// need it must not pass without it.
func Tool(t testing.TB, name string) string {
	t.Helper()
	dir, err := toolsDir()
	if err != nil {
		t.Fatalf("finding the test bed's %s: %v; run `make tools` at the module root, or set %s", name, err, ToolsEnv)
	}
	bin := filepath.Join(dir, name)
	fi, err := os.Stat(bin)
	if err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
		t.Fatalf("%s is not installed at %s: run `make tools` at the module root to install the test bed (or set %s to the folder holding it)", name, bin, ToolsEnv)
	}
	return bin
}

// toolsDir is $CAIRN_TOOLS_BIN, or .tools/bin in the nearest folder above
// the working directory that holds a go.mod.
func toolsDir() (string, error) {
	if dir := os.Getenv(ToolsEnv); dir != "" {
		return dir, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, ".tools", "bin"), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod in %s or above", wd)
		}
		dir = parent
	}
}
