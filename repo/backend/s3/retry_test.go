package s3_test

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/cairn-backup/cairn/repo/backend"
	"github.com/cairn-backup/cairn/repo/backend/s3"
)

// TestRetries makes the server refuse the first two uploads with 503: the
// backend retries and succeeds, unless retries are off.
func TestRetries(t *testing.T) {
	srv := startServer(t)
	bucket := srv.newBucket(t)
	var puts, refuse atomic.Int32
	endpoint := newProxy(t, srv.endpoint, func(r *http.Request) int {
		if r.Method != http.MethodPut {
			return 0
		}
		puts.Add(1)
		if refuse.Add(-1) >= 0 {
			return http.StatusServiceUnavailable
		}
		return 0
	})
	cfg := srv.config(bucket, "retry")
	cfg.Endpoint = endpoint
	be := open(t, cfg)
	h := backend.Handle{Type: backend.KeyFile, Name: strings.Repeat("12", 32)}

	refuse.Store(2)
	if err := be.Save(t.Context(), h, []byte("key")); err != nil {
		t.Fatalf("Save with two refusals: %v", err)
	}
	if n := puts.Load(); n != 3 {
		t.Errorf("server saw %d uploads, want 3 (two refused, one retry through)", n)
	}
	if _, err := be.Stat(t.Context(), h); err != nil {
		t.Errorf("stat after retried Save: %v", err)
	}

	cfg.MaxRetries = -1
	noRetry := open(t, cfg)
	refuse.Store(1)
	puts.Store(0)
	if err := noRetry.Save(t.Context(), h, []byte("key")); err == nil {
		t.Error("Save without retries succeeded through a refusal")
	}
	if n := puts.Load(); n != 1 {
		t.Errorf("without retries the server saw %d uploads, want 1", n)
	}
}

// TestCancelledMultipartIsAborted cancels a Save while its second part is
// on the way: neither the object nor an open upload may remain.
func TestCancelledMultipartIsAborted(t *testing.T) {
	srv := startServer(t)
	bucket := srv.newBucket(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	endpoint := newProxy(t, srv.endpoint, func(r *http.Request) int {
		if r.URL.Query().Get("partNumber") == "2" {
			cancel()
		}
		return 0
	})
	cfg := srv.config(bucket, "")
	cfg.Endpoint = endpoint
	cfg.PartSize = s3.MinPartSize
	be := open(t, cfg)
	h := backend.Handle{Type: backend.PackFile, Name: strings.Repeat("cd", 32)}
	if err := be.Save(ctx, h, make([]byte, 3*s3.MinPartSize)); err == nil {
		t.Fatal("Save with a context cancelled mid-upload succeeded")
	}
	if _, err := be.Stat(t.Context(), h); !backend.IsNotExist(err) {
		t.Errorf("after a cancelled upload, Stat = %v, want ErrNotExist", err)
	}
	wantNoUploads(t, srv, bucket)
}
