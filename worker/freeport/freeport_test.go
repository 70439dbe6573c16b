package freeport

import (
	"net"
	"strconv"
	"testing"
)

// TestTake hands out distinct ports outside the ephemeral range that a
// server can bind.
func TestTake(t *testing.T) {
	lo, hi := ephemeralRange()
	ports, err := Take(11)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]bool{}
	for _, p := range ports {
		if seen[p] {
			t.Errorf("port %d handed out twice", p)
		}
		seen[p] = true
		if p >= lo && p <= hi || p < lowest {
			t.Errorf("port %d is inside the ephemeral range %d-%d or below %d", p, lo, hi, lowest)
		}
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
		if err != nil {
			t.Errorf("port %d cannot be bound: %v", p, err)
			continue
		}
		_ = l.Close()
	}
	if len(ports) != 11 {
		t.Errorf("%d ports, want 11", len(ports))
	}
}

// TestTakeSkipsBusyPorts: a port in use is not handed out.
func TestTakeSkipsBusyPorts(t *testing.T) {
	var held []net.Listener
	busy := map[int]bool{}
	for _, p := range outsideEphemeral()[:200] {
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
		if err == nil {
			held = append(held, l)
			busy[p] = true
		}
	}
	defer func() {
		for _, l := range held {
			_ = l.Close()
		}
	}()
	for range 20 {
		ports, err := Take(20)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ports {
			if busy[p] {
				t.Fatalf("port %d is in use, yet handed out", p)
			}
		}
	}
}
