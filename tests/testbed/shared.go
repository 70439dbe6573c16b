package testbed

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"
)

var shared struct {
	real bool // set by UseRealNodes
	once sync.Once
	bed  *Bed
	err  error
	dir  string
}

// ForTest returns the test process's test bed, starting it on first use. A
// package whose tests call it must run them through Main, which stops it.
func ForTest(t testing.TB) *Bed {
	t.Helper()
	shared.once.Do(func() {
		shared.dir, shared.err = os.MkdirTemp("", "cairn-testbed-")
		if shared.err != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		start := time.Now()
		shared.bed, shared.err = Start(ctx, Options{Dir: shared.dir, UI: true, RealNodes: realNodes()})
		if shared.err == nil {
			fmt.Fprintf(os.Stderr, "testbed: up in %v in %s\n", time.Since(start).Round(time.Millisecond), shared.dir)
		}
	})
	if shared.err != nil {
		t.Fatalf("starting the test bed: %v", shared.err)
	}
	if err := shared.bed.Alive(); err != nil {
		t.Fatalf("the test bed is down: %v", err)
	}
	return shared.bed
}

// UseRealNodes makes ForTest start real nodes, unless $CAIRN_TESTBED_REAL_NODES
// is 0; a package's TestMain calls it before Main.
func UseRealNodes() { shared.real = true }

// realNodes reports whether ForTest's bed runs real nodes: when asked by
// UseRealNodes or by $CAIRN_TESTBED_REAL_NODES=1.
func realNodes() bool {
	switch os.Getenv(RealNodesEnv) {
	case "1":
		return true
	case "0":
		return false
	}
	return shared.real
}

// Main runs a package's tests and then stops the test bed if they started
// it, keeping its folder when a test failed (set CAIRN_KEEP_TESTBED=1 to keep it anyway).
func Main(m *testing.M) {
	stopWatching := reportSignals()
	// The CLI the tests run reads no client configuration of the user's
	// (~/.config/cairn): each test sets what it needs.
	config, err := os.MkdirTemp("", "cairn-testconfig-")
	if err == nil {
		_ = os.Setenv("XDG_CONFIG_HOME", config)
	}
	code := m.Run()
	stopWatching()
	_ = os.RemoveAll(config)
	if shared.bed != nil {
		shared.bed.Stop()
	}
	if shared.dir != "" {
		if code == 0 && os.Getenv("CAIRN_KEEP_TESTBED") == "" {
			_ = os.RemoveAll(shared.dir)
		} else {
			fmt.Fprintf(os.Stderr, "testbed: state and logs kept in %s\n", shared.dir)
		}
	}
	os.Exit(code)
}
