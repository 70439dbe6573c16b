package s3test_test

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/cairn-backup/cairn/repo/backend/backendtest"
	"github.com/cairn-backup/cairn/repo/backend/s3/s3test"
)

func TestStartAndNewBucket(t *testing.T) {
	endpoint, access, secret, region := s3test.Start(t)
	if !strings.HasPrefix(endpoint, "http://127.0.0.1:") || access == "" || secret == "" || region == "" {
		t.Fatalf("Start() = %q, %q, (secret), %q", endpoint, access, region)
	}
	bucket := s3test.NewBucket(t, endpoint, access, secret, region)
	client := s3test.Client(endpoint, access, secret, region)
	_, err := client.PutObject(t.Context(), &s3.PutObjectInput{
		Bucket: aws.String(bucket), Key: aws.String("a/b"), Body: strings.NewReader("hello"),
	})
	if err != nil {
		t.Fatal(err)
	}
	out, err := client.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("a/b")})
	if err != nil {
		t.Fatal(err)
	}
	defer out.Body.Close()
	if got, _ := io.ReadAll(out.Body); !bytes.Equal(got, []byte("hello")) {
		t.Errorf("read back %q", got)
	}
	if other := s3test.NewBucket(t, endpoint, access, secret, region); other == bucket {
		t.Error("NewBucket returned the same name twice")
	}
}

// fatalTB records the message of a Fatalf and ends the goroutine, as
// testing.T does.
type fatalTB struct {
	testing.TB
	msg string
}

func (f *fatalTB) Helper() {}

func (f *fatalTB) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// fatalOf runs fn with a fatalTB and returns what it failed with.
func fatalOf(t *testing.T, fn func(testing.TB)) string {
	f := &fatalTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(f)
	}()
	<-done
	return f.msg
}

func TestMissingBinarySaysMakeTools(t *testing.T) {
	t.Setenv(backendtest.ToolsEnv, t.TempDir())
	msg := fatalOf(t, func(tb testing.TB) { s3test.Start(tb) })
	if !strings.Contains(msg, "make tools") || !strings.Contains(msg, "versitygw") {
		t.Errorf("Start without versitygw failed with %q, want it to name versitygw and say to run `make tools`", msg)
	}
}
