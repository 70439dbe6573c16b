package s3_test

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/cairn-backup/cairn/repo/backend"
	"github.com/cairn-backup/cairn/repo/backend/backendtest"
	"github.com/cairn-backup/cairn/repo/backend/s3"
	"github.com/cairn-backup/cairn/repo/backend/s3/s3test"
)

// server is a running versitygw.
type server struct {
	endpoint, access, secret, region string
}

func startServer(t *testing.T) server {
	t.Helper()
	endpoint, access, secret, region := s3test.Start(t)
	return server{endpoint, access, secret, region}
}

func (s server) config(bucket, prefix string) s3.Config {
	return s3.Config{
		Endpoint:        s.endpoint,
		Bucket:          bucket,
		Prefix:          prefix,
		Region:          s.region,
		AccessKeyID:     s.access,
		SecretAccessKey: s.secret,
	}
}

func (s server) newBucket(t *testing.T) string {
	return s3test.NewBucket(t, s.endpoint, s.access, s.secret, s.region)
}

func (s server) client() *awss3.Client {
	return s3test.Client(s.endpoint, s.access, s.secret, s.region)
}

func open(t *testing.T, cfg s3.Config) *s3.Backend {
	t.Helper()
	be, err := s3.Open(t.Context(), cfg)
	if err != nil {
		t.Fatalf("opening %v: %v", cfg, err)
	}
	t.Cleanup(func() { be.Close() })
	return be
}

func randomHex(t *testing.T, n int) string {
	buf := make([]byte, n)
	if _, err := rand.Read(buf); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(buf)
}

// TestSuite runs the conformance suite with each backend in its own prefix
// of one bucket.
func TestSuite(t *testing.T) {
	srv := startServer(t)
	bucket := srv.newBucket(t)
	backendtest.Run(t, func(t *testing.T) backend.Backend {
		be, err := s3.Open(t.Context(), srv.config(bucket, "repos/"+randomHex(t, 4)))
		if err != nil {
			t.Fatal(err)
		}
		return be
	})
}

// TestSuiteBucketRoot runs the suite with each backend at the root of its
// own bucket, and with small parts so that the large files go in parts.
func TestSuiteBucketRoot(t *testing.T) {
	srv := startServer(t)
	backendtest.Run(t, func(t *testing.T) backend.Backend {
		cfg := srv.config(srv.newBucket(t), "")
		cfg.PartSize = s3.MinPartSize
		be, err := s3.Open(t.Context(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		return be
	})
}

// TestLayout checks restic's S3 layout: <prefix>/<type>/<name>, packs in
// two-hex subfolders, config at <prefix>/config.
func TestLayout(t *testing.T) {
	srv := startServer(t)
	bucket := srv.newBucket(t)
	be := open(t, srv.config(bucket, "/team/repo/"))
	name := strings.Repeat("3f", 32)
	for _, h := range []backend.Handle{
		{Type: backend.ConfigFile},
		{Type: backend.PackFile, Name: name},
		{Type: backend.SnapshotFile, Name: name},
	} {
		if err := be.Save(t.Context(), h, []byte("x")); err != nil {
			t.Fatal(err)
		}
	}
	out, err := srv.client().ListObjectsV2(t.Context(), &awss3.ListObjectsV2Input{Bucket: aws.String(bucket)})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, obj := range out.Contents {
		keys = append(keys, aws.ToString(obj.Key))
	}
	want := []string{"team/repo/config", "team/repo/data/3f/" + name, "team/repo/snapshots/" + name}
	if strings.Join(keys, " ") != strings.Join(want, " ") {
		t.Errorf("bucket holds %q, want %q", keys, want)
	}
	if got, want := be.Location(), "s3:"+srv.endpoint+"/"+bucket+"/team/repo"; got != want {
		t.Errorf("Location() = %q, want %q", got, want)
	}
}

// TestMultipart saves 20 MiB in 5 MiB parts and checks that S3 saw a
// multipart upload (its ETag ends in the part count).
func TestMultipart(t *testing.T) {
	srv := startServer(t)
	bucket := srv.newBucket(t)
	cfg := srv.config(bucket, "mp")
	cfg.PartSize = 5 << 20
	be := open(t, cfg)

	data := make([]byte, 20<<20+1)
	if _, err := rand.Read(data); err != nil {
		t.Fatal(err)
	}
	h := backend.Handle{Type: backend.PackFile, Name: strings.Repeat("ab", 32)}
	if err := be.Save(t.Context(), h, data); err != nil {
		t.Fatal(err)
	}
	head, err := srv.client().HeadObject(t.Context(), &awss3.HeadObjectInput{
		Bucket: aws.String(bucket), Key: aws.String("mp/" + h.Path()),
	})
	if err != nil {
		t.Fatal(err)
	}
	if etag := strings.Trim(aws.ToString(head.ETag), `"`); !strings.HasSuffix(etag, "-5") {
		t.Errorf("ETag %q, want the ETag of a 5-part upload", etag)
	}
	got, err := backend.LoadAll(t.Context(), be, h)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, data) {
		t.Fatal("multipart object differs from what was saved")
	}
	// A range across the first part boundary.
	rd, err := be.Load(t.Context(), h, 5<<20-10, 20)
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(rd); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), data[5<<20-10:5<<20+10]) {
		t.Error("range across the part boundary differs")
	}
	wantNoUploads(t, srv, bucket)
}

// wantNoUploads fails the test if bucket has unfinished multipart uploads.
func wantNoUploads(t *testing.T, srv server, bucket string) {
	t.Helper()
	uploads, err := srv.client().ListMultipartUploads(t.Context(), &awss3.ListMultipartUploadsInput{Bucket: aws.String(bucket)})
	if err != nil {
		t.Fatal(err)
	}
	if len(uploads.Uploads) != 0 {
		t.Errorf("%d multipart uploads left open", len(uploads.Uploads))
	}
}

func TestPartSizeTooSmall(t *testing.T) {
	cfg := s3.Config{Endpoint: "http://127.0.0.1:1", Bucket: "b", AccessKeyID: "id", SecretAccessKey: "secret", PartSize: 1 << 20}
	if _, err := s3.Open(t.Context(), cfg); err == nil || !strings.Contains(err.Error(), "part size") {
		t.Errorf("Open with 1 MiB parts = %v, want a part size error", err)
	}
}

// TestListPages lists more files than fit in one page.
func TestListPages(t *testing.T) {
	srv := startServer(t)
	be := open(t, srv.config(srv.newBucket(t), "p"))
	s3.SetListPageSize(be, 7)
	want := map[string]bool{}
	for i := range 25 {
		name := randomHex(t, 32)
		want[name] = true
		ft := backend.IndexFile
		if i%2 == 0 {
			ft = backend.PackFile
		}
		if err := be.Save(t.Context(), backend.Handle{Type: ft, Name: name}, []byte{byte(i)}); err != nil {
			t.Fatal(err)
		}
	}
	got := map[string]bool{}
	for _, ft := range []backend.FileType{backend.IndexFile, backend.PackFile} {
		err := be.List(t.Context(), ft, func(fi backend.FileInfo) error {
			if got[fi.Name] {
				t.Errorf("%s listed twice", fi.Name)
			}
			got[fi.Name] = true
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(got) != len(want) {
		t.Errorf("listed %d files over pages of 7, want %d", len(got), len(want))
	}
}

// TestCreateBucket checks that Create makes a missing bucket and accepts an
// existing one.
func TestCreateBucket(t *testing.T) {
	srv := startServer(t)
	cfg := srv.config("cairn-created-"+randomHex(t, 4), "repo")
	for range 2 {
		be, err := s3.Create(t.Context(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		if err := be.Save(t.Context(), backend.Handle{Type: backend.ConfigFile}, []byte("cfg")); err != nil {
			t.Fatal(err)
		}
		be.Close()
	}
	open(t, cfg)
}

func TestMissingBucket(t *testing.T) {
	srv := startServer(t)
	cfg := srv.config("no-such-bucket-"+randomHex(t, 4), "repo")
	_, err := s3.Open(t.Context(), cfg)
	if !errors.Is(err, s3.ErrBucketNotFound) {
		t.Fatalf("Open of a missing bucket = %v, want ErrBucketNotFound", err)
	}
	for _, want := range []string{cfg.Bucket, srv.endpoint, "create it"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	wantNoSecret(t, err.Error(), srv.secret)
}

func TestWrongCredentials(t *testing.T) {
	srv := startServer(t)
	bucket := srv.newBucket(t)
	wrongSecret := srv.config(bucket, "repo")
	wrongSecret.SecretAccessKey = "not-the-" + srv.secret
	wrongKey := srv.config(bucket, "repo")
	wrongKey.AccessKeyID = "AKIAWRONG"
	for name, cfg := range map[string]s3.Config{"secret": wrongSecret, "key ID": wrongKey} {
		_, err := s3.Open(t.Context(), cfg)
		if !errors.Is(err, s3.ErrAccessDenied) {
			t.Errorf("Open with a wrong %s = %v, want ErrAccessDenied", name, err)
			continue
		}
		for _, want := range []string{bucket, srv.endpoint, "access key"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("wrong %s: error %q does not mention %q", name, err, want)
			}
		}
		wantNoSecret(t, err.Error(), cfg.SecretAccessKey)
		wantNoSecret(t, cfg.String(), cfg.SecretAccessKey)
	}
}

func wantNoSecret(t *testing.T, s, secret string) {
	t.Helper()
	if strings.Contains(s, secret) {
		t.Errorf("%q reveals the secret", s)
	}
}
