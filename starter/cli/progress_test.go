package cli

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cairn-backup/cairn/tests/testbed"
)

// TestFollowProgressPlain prints a line when the phase or the counts
// change (not the bytes alone), skips failed polls, and stops cleanly.
func TestFollowProgressPlain(t *testing.T) {
	states := []progress{
		{Phase: "New"},
		{Phase: "InProgress", Volumes: 2, BytesDone: 10, BytesTotal: 100},
		{Phase: "InProgress", Volumes: 2, BytesDone: 50, BytesTotal: 100}, // bytes only: no line
		{}, // a failed poll
		{Phase: "InProgress", Volumes: 2, VolumesDone: 1, BytesDone: 60, BytesTotal: 100},
	}
	var (
		mu    sync.Mutex
		polls int
	)
	poll := func(context.Context) (progress, error) {
		mu.Lock()
		defer mu.Unlock()
		i := min(polls, len(states)-1)
		polls++
		if i == 3 {
			return progress{}, errors.New("query timed out")
		}
		return states[i], nil
	}
	var out testbed.SyncBuffer
	stop := followProgress(context.Background(), &out, poll)
	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		n := polls
		mu.Unlock()
		if n > len(states) || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	stop()
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	want := []string{
		"New, items 0",
		"InProgress, items 0, pod volumes 0 of 2 done (10 B of 100 B)",
		"InProgress, items 0, pod volumes 1 of 2 done (60 B of 100 B)",
	}
	if len(lines) != len(want) {
		t.Fatalf("output:\n%s", out.String())
	}
	for i, l := range lines {
		if !strings.HasPrefix(l, want[i]+", elapsed ") {
			t.Errorf("line %d: %q, want %q + elapsed", i, l, want[i])
		}
	}
}

func TestProgressLine(t *testing.T) {
	p := progress{Phase: "InProgress", Items: 3, Total: 10, Volumes: 1, BytesDone: 2048, BytesTotal: 4096}
	if got := p.line(2500 * time.Millisecond); got != "InProgress, items 3 of 10, pod volumes 0 of 1 done (2.000 KiB of 4.000 KiB), elapsed 2s" {
		t.Errorf("line %q", got)
	}
}

// TestFollowProgressTerminal redraws one line, cut to the terminal's
// width, and erases it when stopped.
func TestFollowProgressTerminal(t *testing.T) {
	var out testbed.SyncBuffer
	polled := make(chan struct{}, 10)
	stop := follow(context.Background(), &out, true, 30, func(context.Context) (progress, error) {
		polled <- struct{}{}
		return progress{Phase: "InProgress", Items: 7}, nil
	})
	<-polled
	<-polled
	<-polled // polls and draws alternate in one goroutine: the second draw is done
	stop()
	got := out.String()
	line := "\r\033[K" + "InProgress, items 7, elapsed " // 29 columns
	if strings.Count(got, line) < 2 || !strings.HasSuffix(got, "\r\033[K") || strings.Contains(got, "\n") {
		t.Errorf("output %q", got)
	}
}
