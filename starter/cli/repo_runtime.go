package cli

import (
	"errors"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
)

// repoGCPercent is the GOGC of the repo commands (unless GOGC is set). Their
// heap is mostly long-lived pack and chunk buffers without
// pointers, cheap to mark, so collecting at 10% growth instead of 100%
// costs little time (measured: none on the backup and restore benchmarks)
// and keeps the peak RSS near the live heap.
const repoGCPercent = 10

func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(repoGCPercent)
	}
}

// startProfile starts the CPU profile of the hidden --cpuprofile flag; the
// returned function stops it and writes the heap profile of --memprofile.
func (f *repoFlags) startProfile() (func() error, error) {
	var cpu *os.File
	if f.cpuProfile != "" {
		var err error
		if cpu, err = os.Create(f.cpuProfile); err != nil {
			return nil, err
		}
		if err := pprof.StartCPUProfile(cpu); err != nil {
			cpu.Close()
			return nil, err
		}
	}
	if f.memProfile != "" {
		runtime.MemProfileRate = 64 << 10
	}
	return func() error {
		var errs []error
		if cpu != nil {
			pprof.StopCPUProfile()
			errs = append(errs, cpu.Close())
		}
		if f.memProfile != "" {
			mem, err := os.Create(f.memProfile)
			if err != nil {
				return errors.Join(append(errs, err)...)
			}
			errs = append(errs, pprof.Lookup("allocs").WriteTo(mem, 0), mem.Close())
		}
		return errors.Join(errs...)
	}, nil
}
