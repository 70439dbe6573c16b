// Package fault wraps a backend.Backend to inject failures in tests: fail
// the nth Save or Load, fail every Save of a file type, hand out truncated
// or corrupted bytes from Load, or run a hook before each call. Without
// faults set it passes every call through unchanged.
//
//	be := fault.New(mem.New())
//	be.FailSave(2)                       // the second Save from now fails
//	be.CorruptLoads(backend.PackFile)    // packs read back damaged
//
// Injected failures wrap ErrInjected. All knobs may be changed while other
// goroutines use the backend.
package fault
