package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"
)

// calls records the HTTP requests of one client: how many and how long,
// by a short label.
type calls struct {
	mu    sync.Mutex
	n     map[string]int
	d     map[string]time.Duration
	total time.Duration
	count int
}

func (c *calls) add(label string, d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n, c.d = map[string]int{}, map[string]time.Duration{}
	}
	c.n[label]++
	c.d[label] += d
	c.total += d
	c.count++
}

func (c *calls) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n, c.d, c.total, c.count = nil, nil, 0, 0
}

func (c *calls) print(what string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fmt.Printf("      %-10s %3d requests, %7.1f ms in flight\n", what, c.count, float64(c.total.Microseconds())/1000)
	labels := make([]string, 0, len(c.n))
	for l := range c.n {
		labels = append(labels, l)
	}
	sort.Slice(labels, func(i, j int) bool { return c.d[labels[i]] > c.d[labels[j]] })
	for _, l := range labels {
		fmt.Printf("        %-44s %3d  %7.1f ms\n", l, c.n[l], float64(c.d[l].Microseconds())/1000)
	}
}

// tracing is a RoundTripper that records each request's time in flight.
type tracing struct {
	next  http.RoundTripper
	calls *calls
	label func(*http.Request) string
}

func (t *tracing) RoundTrip(r *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := t.next.RoundTrip(r)
	t.calls.add(t.label(r), time.Since(start))
	return resp, err
}

// kubeLabel groups apiserver requests: discovery, or verb and resource.
func kubeLabel(r *http.Request) string {
	p := r.URL.Path
	if p == "/api" || p == "/apis" || strings.HasPrefix(p, "/openapi") || strings.Count(strings.Trim(p, "/"), "/") <= 2 && r.Method == http.MethodGet && !strings.Contains(p, "/namespaces") {
		if parts := strings.Split(strings.Trim(p, "/"), "/"); len(parts) <= 3 && (parts[0] == "api" && len(parts) <= 2 || parts[0] == "apis" && len(parts) <= 3) {
			return "discovery " + p
		}
	}
	return r.Method + " " + kind(p)
}

// kind is the resource of an API path: /api/v1/namespaces/x/pods/y -> pods.
func kind(p string) string {
	parts := strings.Split(strings.Trim(p, "/"), "/")
	for i := 0; i < len(parts); i++ {
		if parts[i] == "namespaces" && i+2 < len(parts) {
			i++
			continue
		}
		if i >= 2 && (parts[0] == "api" || i >= 3) {
			return parts[i]
		}
	}
	return p
}

// s3Proxy is an HTTP forward proxy that records the S3 requests sent
// through it; the S3 clients of the activities are routed to it through
// http.DefaultTransport's Proxy, which they clone.
func s3Proxy(c *calls) (*url.URL, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	go func() {
		_ = http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			out := r.Clone(r.Context())
			out.RequestURI = ""
			start := time.Now()
			resp, err := tr.RoundTrip(out)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadGateway)
				return
			}
			defer resp.Body.Close()
			for k, v := range resp.Header {
				w.Header()[k] = v
			}
			w.WriteHeader(resp.StatusCode)
			_, _ = io.Copy(w, resp.Body)
			c.add(r.Method+" "+s3Key(r.URL.Path), time.Since(start))
		}))
	}()
	return &url.URL{Scheme: "http", Host: ln.Addr().String()}, nil
}

// s3Key shortens an object key to its kind: the folder below the bucket
// and, for a repository, below the repository.
func s3Key(p string) string {
	parts := strings.Split(strings.Trim(p, "/"), "/")
	if len(parts) > 4 && parts[1] == "restic" {
		return strings.Join(parts[1:4], "/") + "/…"
	}
	if len(parts) > 3 {
		return strings.Join(parts[1:3], "/") + "/…"
	}
	return strings.Join(parts[1:], "/")
}
