package realnode

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"os"
	"sync"
)

// connectProxy is the apiserver's way to the kubelets: an HTTP CONNECT
// proxy on a Unix socket that dials a node's address from inside that
// node's namespace, and refuses every other address.
type connectProxy struct {
	l     net.Listener
	mu    sync.Mutex
	nodes map[string]string // node IP -> namespace path
}

// startConnectProxy serves the proxy on the Unix socket sock.
func startConnectProxy(sock string) (*connectProxy, error) {
	_ = os.Remove(sock)
	l, err := net.Listen("unix", sock)
	if err != nil {
		return nil, err
	}
	p := &connectProxy{l: l, nodes: map[string]string{}}
	go p.serve()
	return p, nil
}

// add lets the proxy reach ip, inside the namespace at path.
func (p *connectProxy) add(ip, path string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.nodes[ip] = path
}

func (p *connectProxy) close() { _ = p.l.Close() }

func (p *connectProxy) serve() {
	for {
		c, err := p.l.Accept()
		if err != nil {
			return
		}
		go p.handle(c)
	}
}

// handle answers one CONNECT request and relays the tunnel.
func (p *connectProxy) handle(c net.Conn) {
	br := bufio.NewReader(c)
	req, err := http.ReadRequest(br)
	if err != nil {
		_ = c.Close()
		return
	}
	up, err := p.dial(req)
	if err != nil {
		fmt.Fprintf(c, "HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain\r\n\r\n%v\n", err)
		_ = c.Close()
		return
	}
	if _, err := fmt.Fprint(c, "HTTP/1.1 200 Connection established\r\n\r\n"); err != nil {
		_ = c.Close()
		_ = up.Close()
		return
	}
	if n := br.Buffered(); n > 0 { // bytes the client sent after its request
		b, _ := br.Peek(n)
		_, _ = up.Write(b)
	}
	relay(c, up)
}

// dial opens the connection req asks for, if its host is a node's.
func (p *connectProxy) dial(req *http.Request) (net.Conn, error) {
	if req.Method != http.MethodConnect {
		return nil, fmt.Errorf("%s: only CONNECT is served", req.Method)
	}
	host, _, err := net.SplitHostPort(req.Host)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	path, ok := p.nodes[host]
	p.mu.Unlock()
	if !ok {
		return nil, fmt.Errorf("%s is not a node of the test bed", host)
	}
	return dialIn(path, req.Host)
}
