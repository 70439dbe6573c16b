package backendtest

import (
	"bytes"
	"fmt"
	"sync"
	"testing"

	"github.com/cairn-backup/cairn/repo/backend"
)

const workers = 8

// testConcurrentSave saves distinct files from 8 goroutines at once.
func testConcurrentSave(t *testing.T, be backend.Backend) {
	const perWorker = 4
	var wg sync.WaitGroup
	errs := make(chan error, workers*perWorker)
	for w := range workers {
		wg.Go(func() {
			for i := range perWorker {
				data := randomData(uint64(1000+w*perWorker+i), 1000*w+i)
				h := backend.Handle{Type: backend.PackFile, Name: nameOf(data)}
				if err := be.Save(t.Context(), h, data); err != nil {
					errs <- fmt.Errorf("worker %d: saving %v: %w", w, h, err)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if t.Failed() {
		return
	}
	got := listAll(t, be, backend.PackFile)
	if len(got) != workers*perWorker {
		t.Errorf("List(data) found %d files after %d concurrent saves", len(got), workers*perWorker)
	}
	for w := range workers {
		for i := range perWorker {
			data := randomData(uint64(1000+w*perWorker+i), 1000*w+i)
			wantContent(t, be, backend.Handle{Type: backend.PackFile, Name: nameOf(data)}, data)
		}
	}
}

// testConcurrentOverwrite saves different contents under one name from 8
// goroutines at once, each while others read it: every read and the final
// file must be one writer's complete contents.
func testConcurrentOverwrite(t *testing.T, be backend.Backend) {
	h := backend.Handle{Type: backend.LockFile, Name: nameOf([]byte("contended"))}
	versions := make([][]byte, workers)
	for w := range workers {
		versions[w] = randomData(uint64(1100+w), 64<<10+w)
	}
	whole := func(buf []byte) bool {
		for _, v := range versions {
			if bytes.Equal(buf, v) {
				return true
			}
		}
		return false
	}
	var wg sync.WaitGroup
	errs := make(chan error, 2*workers)
	for w := range workers {
		wg.Go(func() {
			if err := be.Save(t.Context(), h, versions[w]); err != nil {
				errs <- fmt.Errorf("worker %d: saving %v: %w", w, h, err)
			}
		})
		wg.Go(func() {
			buf, err := backend.LoadAll(t.Context(), be, h)
			switch {
			case backend.IsNotExist(err):
			case err != nil:
				errs <- fmt.Errorf("reader %d: %w", w, err)
			case !whole(buf):
				errs <- fmt.Errorf("reader %d saw %d bytes that are no writer's whole contents", w, len(buf))
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	buf, err := backend.LoadAll(t.Context(), be, h)
	if err != nil {
		t.Fatalf("loading %v: %v", h, err)
	}
	if !whole(buf) {
		t.Errorf("%v holds %d bytes that are no writer's whole contents", h, len(buf))
	}
}
