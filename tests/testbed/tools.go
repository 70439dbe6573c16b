package testbed

import (
	"fmt"
	"os"
	"path/filepath"
)

// ToolsEnv names the variable that points at the folder of test-bed binaries.
const ToolsEnv = "CAIRN_TOOLS_BIN"

// ToolsDir returns the folder holding the test bed's binaries: $CAIRN_TOOLS_BIN,
// else .tools/bin in the module root found from the working directory.
func ToolsDir() (string, error) {
	if dir := os.Getenv(ToolsEnv); dir != "" {
		return dir, nil
	}
	root, err := ModuleRoot()
	if err != nil {
		return "", err
	}
	return filepath.Join(root, ".tools", "bin"), nil
}

// ModuleRoot walks up from the working directory to the folder with go.mod.
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			// tests/tools/kube has a go.mod of its own; the module root has .git or Makefile.
			if _, err := os.Stat(filepath.Join(dir, "Makefile")); err == nil {
				return dir, nil
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no Cairn checkout (a folder with go.mod and Makefile) above the working directory; set %s", ToolsEnv)
		}
		dir = parent
	}
}

// Tool returns the path of a test-bed binary, or an error saying how to get it.
func Tool(name string) (string, error) {
	dir, err := ToolsDir()
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, name)
	if _, err := os.Stat(path); err != nil {
		return "", fmt.Errorf("%s is not installed in %s: run `make tools`", name, dir)
	}
	return path, nil
}
