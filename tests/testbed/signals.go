package testbed

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// reportSignals makes a SIGTERM or SIGHUP that reaches the test process
// say so, instead of ending it silently: it names the signal, stops the
// test bed if one runs (so that nothing of it is left) and exits 1. A test
// binary that something else kills (a stale pid signalled by another
// process) would otherwise fail with no output at all. The returned
// function stops watching.
func reportSignals() (stop func()) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGTERM, syscall.SIGHUP)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-ch:
			fmt.Fprintf(os.Stderr, "testbed: the test process (pid %d) received %v at %s, not from a test of its own; stopping\n",
				os.Getpid(), sig, time.Now().UTC().Format(time.RFC3339Nano))
			if shared.bed != nil {
				shared.bed.Stop()
			}
			os.Exit(1)
		case <-done:
		}
	}()
	return func() { signal.Stop(ch); close(done) }
}
