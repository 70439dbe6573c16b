// Package backendtest is the conformance suite every backend.Backend
// implementation runs from its own tests:
//
//	func TestSuite(t *testing.T) {
//		backendtest.Run(t, func(t *testing.T) backend.Backend { return mem.New() })
//	}
//
// The suite checks the contract documented on backend.Backend: whole-file
// round trips (empty, small and 20 MiB), ranged loads, Stat sizes, List per
// file type (including packs in their two-hex subfolders), overwrites,
// removal and backend.ErrNotExist, the config file, concurrent saves,
// cancelled contexts and the rejection of invalid handles.
//
// It is a non-test package so that any package's tests can import it; it
// must not be imported by production code.
package backendtest
