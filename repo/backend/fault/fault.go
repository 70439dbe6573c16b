package fault

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/cairn-backup/cairn/repo/backend"
)

// ErrInjected is wrapped by every failure the wrapper makes up.
var ErrInjected = errors.New("injected fault")

// Op names a Backend method that faults and hooks apply to.
type Op string

// The methods a hook sees.
const (
	OpSave   Op = "save"
	OpLoad   Op = "load"
	OpStat   Op = "stat"
	OpList   Op = "list"
	OpRemove Op = "remove"
)

// Hook runs before each call; an error it returns is the call's result and
// the wrapped backend is not called. List passes a Handle with only Type.
type Hook func(ctx context.Context, op Op, h backend.Handle) error

// Backend injects faults into the calls to the backend it wraps.
type Backend struct {
	be backend.Backend

	mu        sync.Mutex
	calls     map[Op]int
	failAt    map[Op]map[int]bool // call numbers, counted since New, that fail
	failTypes map[backend.FileType]bool
	truncate  map[backend.FileType]int64
	corrupt   map[backend.FileType]bool
	hook      Hook
}

var _ backend.Backend = (*Backend)(nil)

// New wraps be with no faults set.
func New(be backend.Backend) *Backend {
	b := &Backend{be: be, calls: make(map[Op]int)}
	b.Reset()
	return b
}

// Unwrap returns the wrapped backend.
func (b *Backend) Unwrap() backend.Backend { return b.be }

// Reset clears every fault and the hook; call counts go on.
func (b *Backend) Reset() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.failAt = map[Op]map[int]bool{OpSave: {}, OpLoad: {}}
	b.failTypes = make(map[backend.FileType]bool)
	b.truncate = make(map[backend.FileType]int64)
	b.corrupt = make(map[backend.FileType]bool)
	b.hook = nil
}

// FailSave makes the nth Save from now fail without saving (1 is the next).
func (b *Backend) FailSave(n int) { b.failNth(OpSave, n) }

// FailLoad makes the nth Load from now fail (1 is the next).
func (b *Backend) FailLoad(n int) { b.failNth(OpLoad, n) }

func (b *Backend) failNth(op Op, n int) {
	if n < 1 {
		panic(fmt.Sprintf("fault: %s call number %d is not positive", op, n))
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.failAt[op][b.calls[op]+n] = true
}

// FailSaves makes every Save of type t fail without saving, until Reset;
// an empty t means every type.
func (b *Backend) FailSaves(t backend.FileType) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.failTypes[t] = true
}

// TruncateLoads makes every Load of type t (empty: every type) end after
// keep bytes, without an error, as a silently short file would.
func (b *Backend) TruncateLoads(t backend.FileType, keep int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.truncate[t] = keep
}

// CorruptLoads makes every Load of type t (empty: every type) return the
// first byte of the range with all its bits flipped.
func (b *Backend) CorruptLoads(t backend.FileType) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.corrupt[t] = true
}

// SetHook runs fn before every call from now on; nil removes it.
func (b *Backend) SetHook(fn Hook) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.hook = fn
}

// Calls returns how many calls of op were made since New.
func (b *Backend) Calls(op Op) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.calls[op]
}

// plan is what one call is to do, decided under the lock.
type plan struct {
	fail     bool
	truncate int64 // -1: no truncation
	corrupt  bool
}

// begin counts a call, runs the hook, and decides the call's faults.
func (b *Backend) begin(ctx context.Context, op Op, h backend.Handle) (plan, error) {
	b.mu.Lock()
	b.calls[op]++
	n := b.calls[op]
	hook := b.hook
	p := plan{truncate: -1}
	if b.failAt[op][n] {
		delete(b.failAt[op], n)
		p.fail = true
	}
	if op == OpSave && (b.failTypes[h.Type] || b.failTypes[""]) {
		p.fail = true
	}
	if op == OpLoad {
		p.corrupt = b.corrupt[h.Type] || b.corrupt[""]
		if keep, ok := b.truncate[h.Type]; ok {
			p.truncate = keep
		} else if keep, ok := b.truncate[""]; ok {
			p.truncate = keep
		}
	}
	b.mu.Unlock()

	if hook != nil {
		if err := hook(ctx, op, h); err != nil {
			return p, err
		}
	}
	if p.fail {
		return p, fmt.Errorf("%s %v (call %d): %w", op, h, n, ErrInjected)
	}
	return p, nil
}

// Location implements backend.Backend.
func (b *Backend) Location() string { return "fault:" + b.be.Location() }

// Save implements backend.Backend.
func (b *Backend) Save(ctx context.Context, h backend.Handle, data []byte) error {
	if _, err := b.begin(ctx, OpSave, h); err != nil {
		return err
	}
	return b.be.Save(ctx, h, data)
}

// Load implements backend.Backend.
func (b *Backend) Load(ctx context.Context, h backend.Handle, offset, length int64) (io.ReadCloser, error) {
	p, err := b.begin(ctx, OpLoad, h)
	if err != nil {
		return nil, err
	}
	rd, err := b.be.Load(ctx, h, offset, length)
	if err != nil {
		return nil, err
	}
	var r io.Reader = rd
	if p.truncate >= 0 {
		r = io.LimitReader(r, p.truncate)
	}
	if p.corrupt {
		r = &corruptReader{r: r}
	}
	return readCloser{Reader: r, Closer: rd}, nil
}

// Stat implements backend.Backend.
func (b *Backend) Stat(ctx context.Context, h backend.Handle) (backend.FileInfo, error) {
	if _, err := b.begin(ctx, OpStat, h); err != nil {
		return backend.FileInfo{}, err
	}
	return b.be.Stat(ctx, h)
}

// List implements backend.Backend.
func (b *Backend) List(ctx context.Context, t backend.FileType, fn func(backend.FileInfo) error) error {
	if _, err := b.begin(ctx, OpList, backend.Handle{Type: t}); err != nil {
		return err
	}
	return b.be.List(ctx, t, fn)
}

// Remove implements backend.Backend.
func (b *Backend) Remove(ctx context.Context, h backend.Handle) error {
	if _, err := b.begin(ctx, OpRemove, h); err != nil {
		return err
	}
	return b.be.Remove(ctx, h)
}

// Close implements backend.Backend by closing the wrapped backend.
func (b *Backend) Close() error { return b.be.Close() }

type readCloser struct {
	io.Reader
	io.Closer
}

// corruptReader flips the bits of the first byte it reads.
type corruptReader struct {
	r    io.Reader
	done bool
}

func (c *corruptReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if n > 0 && !c.done {
		p[0] ^= 0xff
		c.done = true
	}
	return n, err
}
