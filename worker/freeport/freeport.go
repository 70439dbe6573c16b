// Package freeport finds TCP ports of 127.0.0.1 for servers that start a
// moment later: the embedded Temporal server's services, and the test
// bed's servers.
//
// It picks them outside the kernel's ephemeral range
// (/proc/sys/net/ipv4/ip_local_port_range), which is where a listener on
// port 0 gets its port and also where every outgoing connection gets its
// local one: a port handed out from that range can be a connection's a
// moment later, before its server binds it. (The embedded Temporal server
// then exits: it logged "Failed to start ringpop listener ... address
// already in use" and ended a test process in a CI run.)
package freeport

import (
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"strings"
)

// rangeFile holds the kernel's ephemeral port range, "low high".
const rangeFile = "/proc/sys/net/ipv4/ip_local_port_range"

// lowest is the lowest port handed out: below it live the well-known and
// registered ports of other software.
const lowest = 10000

// Take returns n distinct ports of 127.0.0.1 that were free a moment ago,
// outside the ephemeral range. Where that range leaves too few ports, it
// falls back on ports the kernel picks.
func Take(n int) ([]int, error) {
	candidates := outsideEphemeral()
	if len(candidates) < 4*n {
		return kernelPicked(n)
	}
	rand.Shuffle(len(candidates), func(i, j int) { candidates[i], candidates[j] = candidates[j], candidates[i] })
	ports := make([]int, 0, n)
	var held []net.Listener
	defer func() {
		for _, l := range held {
			_ = l.Close()
		}
	}()
	for _, p := range candidates {
		if len(ports) == n {
			return ports, nil
		}
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
		if err != nil {
			continue // in use
		}
		held = append(held, l)
		ports = append(ports, p)
	}
	if len(ports) == n {
		return ports, nil
	}
	return nil, fmt.Errorf("finding %d free ports of 127.0.0.1: only %d of %d tried were free", n, len(ports), len(candidates))
}

// outsideEphemeral lists the ports from lowest to 65535 that are not in
// the ephemeral range.
func outsideEphemeral() []int {
	lo, hi := ephemeralRange()
	var out []int
	for p := lowest; p <= 65535; p++ {
		if p < lo || p > hi {
			out = append(out, p)
		}
	}
	return out
}

// ephemeralRange is the kernel's ephemeral range, Linux's default where it
// cannot be read.
func ephemeralRange() (lo, hi int) {
	lo, hi = 32768, 60999
	data, err := os.ReadFile(rangeFile)
	if err != nil {
		return lo, hi
	}
	f := strings.Fields(string(data))
	if len(f) != 2 {
		return lo, hi
	}
	l, err1 := strconv.Atoi(f[0])
	h, err2 := strconv.Atoi(f[1])
	if err1 != nil || err2 != nil || l > h {
		return lo, hi
	}
	return l, h
}

// kernelPicked returns n distinct ports the kernel picked for listeners
// on port 0.
func kernelPicked(n int) ([]int, error) {
	ports := make([]int, 0, n)
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("finding a free port: %w", err)
		}
		defer l.Close()
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}
