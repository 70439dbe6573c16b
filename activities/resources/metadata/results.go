package metadata

import (
	"fmt"
	"sync"
)

// Result is Velero's results.Result: messages about Velero itself, about
// cluster-scoped objects, and per namespace.
type Result struct {
	Velero     []string            `json:"velero,omitempty"`
	Cluster    []string            `json:"cluster,omitempty"`
	Namespaces map[string][]string `json:"namespaces,omitempty"`
}

// Add records a message for namespace ns ("" for cluster-scoped).
func (r *Result) Add(ns, msg string) {
	if ns == "" {
		r.Cluster = append(r.Cluster, msg)
		return
	}
	if r.Namespaces == nil {
		r.Namespaces = map[string][]string{}
	}
	r.Namespaces[ns] = append(r.Namespaces[ns], msg)
}

// Count returns the number of messages.
func (r Result) Count() int {
	n := len(r.Velero) + len(r.Cluster)
	for _, m := range r.Namespaces {
		n += len(m)
	}
	return n
}

// Results are a backup's or restore's errors and warnings, the content of
// its -results.gz file.
type Results struct {
	Errors   Result `json:"errors"`
	Warnings Result `json:"warnings"`
}

// Recorder collects results and log lines from many goroutines.
type Recorder struct {
	mu      sync.Mutex
	results Results
	log     []byte
	now     func() string
}

// NewRecorder returns a recorder whose log lines are stamped by now.
func NewRecorder(now func() string) *Recorder { return &Recorder{now: now} }

// Warn records a warning about namespace ns ("" for cluster-scoped).
func (r *Recorder) Warn(ns, format string, args ...any) {
	r.add(&r.results.Warnings, "warning", ns, format, args)
}

// Error records an error about namespace ns.
func (r *Recorder) Error(ns, format string, args ...any) {
	r.add(&r.results.Errors, "error", ns, format, args)
}

// Info writes a log line only.
func (r *Recorder) Info(format string, args ...any) { r.add(nil, "info", "", format, args) }

func (r *Recorder) add(res *Result, level, ns, format string, args []any) {
	msg := fmt.Sprintf(format, args...)
	r.mu.Lock()
	defer r.mu.Unlock()
	if res != nil {
		res.Add(ns, msg)
	}
	line := fmt.Sprintf("time=%q level=%s msg=%q", r.now(), level, msg)
	if ns != "" {
		line += fmt.Sprintf(" namespace=%s", ns)
	}
	r.log = append(r.log, line+"\n"...)
}

// Item writes an info line about one object, with its resource,
// namespace and name as fields, as Velero's logs have one per item backed
// up or restored: msg says what befell it.
func (r *Recorder) Item(msg, resource, ns, name string) {
	line := fmt.Sprintf("level=info msg=%q resource=%s", msg, resource)
	if ns != "" {
		line += " namespace=" + ns
	}
	line += " name=" + name
	r.mu.Lock()
	defer r.mu.Unlock()
	r.log = append(r.log, fmt.Sprintf("time=%q %s\n", r.now(), line)...)
}

// Results returns a copy of what was recorded.
func (r *Recorder) Results() Results {
	r.mu.Lock()
	defer r.mu.Unlock()
	return Results{Errors: clone(r.results.Errors), Warnings: clone(r.results.Warnings)}
}

// Log returns the log text.
func (r *Recorder) Log() []byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]byte(nil), r.log...)
}

func clone(r Result) Result {
	out := Result{Velero: append([]string(nil), r.Velero...), Cluster: append([]string(nil), r.Cluster...)}
	for ns, m := range r.Namespaces {
		if out.Namespaces == nil {
			out.Namespaces = map[string][]string{}
		}
		out.Namespaces[ns] = append([]string(nil), m...)
	}
	return out
}
