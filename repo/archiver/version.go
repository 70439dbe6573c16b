package archiver

import (
	"runtime"
	"runtime/debug"
)

// programVersion mimics restic's "restic 0.18.1 compiled with go1.24 on
// linux/amd64".
func programVersion() string {
	v := "(devel)"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		v = bi.Main.Version
	}
	return "cairn " + v + " compiled with " + runtime.Version() + " on " + runtime.GOOS + "/" + runtime.GOARCH
}
