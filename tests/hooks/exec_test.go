package hooks

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/cairn-backup/cairn/activities/podexec"
)

// TestExecStreams streams 200 MiB into a command's stdin and 200 MiB out of
// its stdout through the pod exec API of a real node, and reads exit codes
// and stderr.
func TestExecStreams(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	s := newStack(t, ctx, "cairn-exec", false)
	const ns, size = "hooks-exec", 200 << 20
	s.createNamespace(t, ctx, ns)
	s.createPod(t, ctx, pod(ns, "box", nil))
	ex, err := podexec.New(s.bed.RESTConfig)
	if err != nil {
		t.Fatal(err)
	}
	target := podexec.Target{Namespace: ns, Pod: "box", Container: "app"}

	h := sha256.New()
	src := io.TeeReader(io.LimitReader(rand.NewChaCha8([32]byte{1}), size), h)
	start := time.Now()
	res, err := ex.Run(ctx, target, []string{"sha256sum"}, src, nil)
	if err != nil || res.ExitCode != 0 {
		t.Fatalf("sha256sum: %+v, %v", res, err)
	}
	if got, want := strings.Fields(res.Stdout)[0], hex.EncodeToString(h.Sum(nil)); got != want {
		t.Errorf("the container read sha256 %s, we sent %s", got, want)
	}
	t.Logf("stdin: %d MiB in %v", size>>20, time.Since(start).Round(time.Millisecond))

	start = time.Now()
	var n countWriter
	res, err = ex.Run(ctx, target, []string{"head", "-c", "209715200", "/dev/zero"}, nil, &n)
	if err != nil || res.ExitCode != 0 || n != size {
		t.Fatalf("head: %+v, %v, %d bytes", res, err, n)
	}
	t.Logf("stdout: %d MiB in %v", size>>20, time.Since(start).Round(time.Millisecond))

	// A command that writes its stdout elsewhere must keep the stream
	// open until its input ends: containerd closes a command's stdin once
	// its stdout and stderr close.
	pr, pw := io.Pipe()
	go func() {
		buf := make([]byte, 4<<20)
		var err error
		for i := 0; i < size/len(buf) && err == nil; i++ {
			_, err = pw.Write(buf)
		}
		pw.CloseWithError(err)
	}()
	res, err = ex.Run(ctx, target, []string{"sh", "-c", "wc -c > /tmp/count; echo counted"}, pr, nil)
	if err != nil || res.ExitCode != 0 {
		t.Fatalf("wc: %+v, %v", res, err)
	}
	if got := strings.TrimSpace(s.execIn(t, ctx, ns, "box", "cat /tmp/count")); got != "209715200" {
		t.Errorf("wc counted %s bytes of 200 MiB written to a pipe", got)
	}

	res, err = ex.Run(ctx, target, []string{"sh", "-c", "echo oops >&2; exit 7"}, nil, nil)
	if err != nil || res.ExitCode != 7 || res.Stderr != "oops\n" {
		t.Errorf("exit 7: %+v, %v", res, err)
	}
}

type countWriter int64

func (c *countWriter) Write(p []byte) (int, error) {
	*c += countWriter(len(p))
	return len(p), nil
}
