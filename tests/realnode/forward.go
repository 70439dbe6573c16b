package realnode

import (
	"io"
	"net"
	"strconv"
	"sync"
)

// relay copies between a and b until both directions end.
func relay(a, b net.Conn) {
	var wg sync.WaitGroup
	wg.Add(2)
	pipe := func(dst, src net.Conn) {
		defer wg.Done()
		_, _ = io.Copy(dst, src)
		if c, ok := dst.(*net.TCPConn); ok {
			_ = c.CloseWrite()
		} else {
			_ = dst.Close()
		}
	}
	go pipe(a, b)
	go pipe(b, a)
	wg.Wait()
	_ = a.Close()
	_ = b.Close()
}

// serveRelay relays every connection l accepts to a connection dial
// opens, until l is closed. It serves both directions between the host
// and a node: forward and Expose.
func serveRelay(l net.Listener, dial func() (net.Conn, error)) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go func() {
			up, err := dial()
			if err != nil {
				_ = c.Close()
				return
			}
			relay(c, up)
		}()
	}
}

// dialIn dials addr from inside the namespace at path.
func dialIn(path, addr string) (conn net.Conn, err error) {
	err = inNetns(path, func() (err error) {
		conn, err = net.Dial("tcp", addr)
		return err
	})
	return conn, err
}

// forward listens on 127.0.0.1:port inside the namespace at path and
// relays every connection to the same port of the host's 127.0.0.1. It
// returns the listener; closing it stops the forwarding.
func forward(path string, port int) (net.Listener, error) {
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	var l net.Listener
	err := inNetns(path, func() (err error) {
		l, err = net.Listen("tcp", addr)
		return err
	})
	if err != nil {
		return nil, err
	}
	go serveRelay(l, func() (net.Conn, error) { return net.Dial("tcp", addr) })
	return l, nil
}

// expose listens on a free port of the host's 127.0.0.1 and relays every
// connection to addr, dialled inside the namespace at path. It returns
// the listener; closing it stops the relaying.
func expose(path, addr string) (net.Listener, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	go serveRelay(l, func() (net.Conn, error) { return dialIn(path, addr) })
	return l, nil
}
