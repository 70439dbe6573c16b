// Package buildinfo says which build of Cairn is running: the version and
// commit `make build` stamps into the binary, or what the Go toolchain
// recorded when it was built otherwise.
package buildinfo

import (
	"cmp"
	"runtime/debug"
	"strconv"
	"strings"
)

// Set by the build: go build -ldflags "-X github.com/cairn-backup/cairn/worker/buildinfo.version=v0.2.0
// -X github.com/cairn-backup/cairn/worker/buildinfo.commit=<sha>".
var (
	version string
	commit  string
)

// Kinds of Cairn process, as their Temporal identities name them.
const (
	ServerKind    = "cairn-server"
	NodeAgentKind = "cairn-node-agent"
)

// Info is one build's identity.
type Info struct {
	// Version is the release ("v0.2.0"), the module version of a go
	// install, or "dev".
	Version string
	// Commit is the git commit, with "-dirty" when the tree had changes;
	// "unknown" when the build recorded none.
	Commit string
}

// Get is this binary's build.
func Get() Info {
	bi, _ := debug.ReadBuildInfo()
	return Info{Version: cmp.Or(version, moduleVersion(bi), "dev"), Commit: cmp.Or(commit, vcsCommit(bi), "unknown")}
}

// String is "v0.2.0 (commit abc1234)".
func (i Info) String() string { return i.Version + " (commit " + i.Commit + ")" }

// Identity is how a process of kind ("cairn-server", "cairn-node-agent")
// names itself to Temporal, which shows it among a task queue's pollers:
// "<pid>@<host>@<kind>/<version>", and "/<cluster>" after it when the
// cluster (its kube-system namespace's UID) is known. ParseIdentity reads
// them back.
func (i Info) Identity(pid int, host, kind, cluster string) string {
	id := strconv.Itoa(pid) + "@" + host + "@" + kind + "/" + i.Version
	if cluster != "" {
		id += "/" + cluster
	}
	return id
}

// Peer is what a Cairn process's Identity says of it.
type Peer struct {
	Kind, Version string
	// Cluster is the UID of its cluster's kube-system namespace; empty
	// when it did not say.
	Cluster string
}

// ParseIdentity reads an Identity; ok is false for another client's.
func ParseIdentity(identity string) (p Peer, ok bool) {
	at := strings.LastIndex(identity, "@")
	if at < 0 {
		return Peer{}, false
	}
	kind, rest, ok := strings.Cut(identity[at+1:], "/")
	version, cluster, _ := strings.Cut(rest, "/")
	return Peer{Kind: kind, Version: version, Cluster: cluster}, ok && strings.HasPrefix(kind, "cairn-")
}

func moduleVersion(bi *debug.BuildInfo) string {
	if bi == nil || bi.Main.Version == "(devel)" {
		return ""
	}
	return bi.Main.Version
}

func vcsCommit(bi *debug.BuildInfo) string {
	if bi == nil {
		return ""
	}
	var rev, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "-dirty"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev == "" {
		return ""
	}
	return rev + dirty
}
