package testbed

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/cairn-backup/cairn/repo/backend/s3"
	"github.com/cairn-backup/cairn/tests/proc"
	"github.com/cairn-backup/cairn/worker/freeport"
)

// S3 describes the running S3 server and the test bed's bucket.
type S3 struct {
	URL       string // http://127.0.0.1:<port>
	Bucket    string
	Region    string
	AccessKey string
	SecretKey string
}

// Region is the S3 server's region: not us-east-1, so that a client that
// ignores the configured region fails (the seed's Velero setup uses "minio").
const Region = "minio"

// startS3 runs versitygw on a posix folder under dir and creates the bucket.
// The keys are generated once and kept in dir, so a restarted stack keeps them.
func startS3(ctx context.Context, dir, bucket string) (*proc.Process, S3, error) {
	bin, err := Tool("versitygw")
	if err != nil {
		return nil, S3{}, err
	}
	access, secret, err := s3Keys(filepath.Join(dir, "s3-keys"))
	if err != nil {
		return nil, S3{}, err
	}
	data := filepath.Join(dir, "s3")
	if err := os.MkdirAll(data, 0o755); err != nil {
		return nil, S3{}, err
	}
	ports, err := freeport.Take(1)
	if err != nil {
		return nil, S3{}, err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", ports[0])
	var env []string
	for _, kv := range os.Environ() { // versitygw reads settings from VGW_* and ROOT_*; keep the shell's out
		if strings.HasPrefix(kv, "VGW_") || strings.HasPrefix(kv, "ROOT_") {
			env = append(env, strings.SplitN(kv, "=", 2)[0]+"=")
		}
	}
	p, err := proc.Start("versitygw", bin, []string{
		"--port", addr, "--access", access, "--secret", secret, "--region", Region, "--quiet",
		"posix", data,
	}, filepath.Join(dir, "logs"), env)
	if err != nil {
		return nil, S3{}, err
	}
	info := S3{URL: "http://" + addr, Bucket: bucket, Region: Region, AccessKey: access, SecretKey: secret}
	err = p.WaitFor(ctx, "versitygw", func(ctx context.Context) error {
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			return err
		}
		return conn.Close()
	})
	if err == nil {
		var be *s3.Backend
		be, err = s3.Create(ctx, info.config())
		if err == nil {
			err = be.Close()
		}
	}
	if err != nil {
		p.Stop(0)
		return nil, S3{}, fmt.Errorf("preparing bucket %s on versitygw: %w", bucket, err)
	}
	return p, info, nil
}

func (s S3) config() s3.Config {
	return s3.Config{
		Endpoint: s.URL, Bucket: s.Bucket, Region: s.Region, PathStyle: true,
		AccessKeyID: s.AccessKey, SecretAccessKey: s.SecretKey,
	}
}

// Config returns the settings of an S3 backend on the test bed's bucket under prefix.
func (s S3) Config(prefix string) s3.Config {
	c := s.config()
	c.Prefix = prefix
	return c
}

// CredentialsFile returns the keys in the format of Velero's credentials-velero file.
func (s S3) CredentialsFile() string {
	return fmt.Sprintf("[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n", s.AccessKey, s.SecretKey)
}

func s3Keys(path string) (access, secret string, err error) {
	if data, err := os.ReadFile(path); err == nil {
		if a, s, ok := strings.Cut(strings.TrimSpace(string(data)), "\n"); ok {
			return a, s, nil
		}
	}
	buf := make([]byte, 26)
	if _, err := rand.Read(buf); err != nil {
		return "", "", err
	}
	access, secret = "cairn"+hex.EncodeToString(buf[:6]), hex.EncodeToString(buf[6:])
	return access, secret, os.WriteFile(path, []byte(access+"\n"+secret+"\n"), 0o600)
}
