package s3_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cairn-backup/cairn/repo/backend/s3"
)

// clearAWSEnv keeps the developer's AWS settings out of a test.
func clearAWSEnv(t *testing.T) {
	for _, name := range []string{
		"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
		"AWS_PROFILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_REGION", "AWS_DEFAULT_REGION",
	} {
		t.Setenv(name, "")
	}
}

func writeFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "credentials")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestCredentialSources checks where credentials come from, and in which
// order: the config's keys, its credentials file, then the environment.
func TestCredentialSources(t *testing.T) {
	clearAWSEnv(t)
	srv := startServer(t)
	bucket := srv.newBucket(t)
	file := writeFile(t, "# test\n[default]\naws_access_key_id = WRONGKEY\naws_secret_access_key=wrong\n\n"+
		"[profile cairn]\r\n aws_access_key_id="+srv.access+"\r\naws_secret_access_key = "+srv.secret+"\r\n")
	bare := s3.Config{Endpoint: srv.endpoint, Bucket: bucket, Region: srv.region}

	withFile := func(profile string) s3.Config {
		cfg := bare
		cfg.CredentialsFile, cfg.Profile = file, profile
		return cfg
	}
	wantOpen(t, "profile cairn of the file", withFile("cairn"), nil)
	wantOpen(t, "profile default of the file", withFile(""), s3.ErrAccessDenied)
	t.Setenv("AWS_PROFILE", "cairn")
	wantOpen(t, "the file's profile from AWS_PROFILE", withFile(""), nil)
	t.Setenv("AWS_PROFILE", "")

	t.Setenv("AWS_ACCESS_KEY_ID", srv.access)
	t.Setenv("AWS_SECRET_ACCESS_KEY", srv.secret)
	wantOpen(t, "the environment", bare, nil)
	wantOpen(t, "the file before the environment", withFile(""), s3.ErrAccessDenied)
	wrongKeys := bare
	wrongKeys.AccessKeyID, wrongKeys.SecretAccessKey = "WRONGKEY", "wrong"
	wantOpen(t, "the config's keys before the environment", wrongKeys, s3.ErrAccessDenied)

	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", file)
	t.Setenv("AWS_PROFILE", "cairn")
	wantOpen(t, "AWS_SHARED_CREDENTIALS_FILE", bare, nil)
}

func wantOpen(t *testing.T, what string, cfg s3.Config, wantErr error) {
	t.Helper()
	be, err := s3.Open(t.Context(), cfg)
	if err == nil {
		be.Close()
	}
	if wantErr == nil && err != nil {
		t.Errorf("credentials from %s: %v", what, err)
	}
	if wantErr != nil && !errors.Is(err, wantErr) {
		t.Errorf("credentials from %s: err = %v, want %v", what, err, wantErr)
	}
}

func TestCredentialErrors(t *testing.T) {
	clearAWSEnv(t)
	base := s3.Config{Endpoint: "http://127.0.0.1:1", Bucket: "b", MaxRetries: -1}
	cases := []struct {
		name string
		cfg  func(s3.Config) s3.Config
		want string
	}{
		{"none", func(c s3.Config) s3.Config { return c }, "no S3 credentials"},
		{"key ID alone", func(c s3.Config) s3.Config { c.AccessKeyID = "id"; return c }, "both"},
		{"missing file", func(c s3.Config) s3.Config {
			c.CredentialsFile = filepath.Join(t.TempDir(), "nope")
			return c
		}, "reading S3 credentials"},
		{"missing profile", func(c s3.Config) s3.Config {
			c.CredentialsFile = writeFile(t, "[default]\naws_access_key_id=a\naws_secret_access_key=hunter2\n")
			c.Profile = "other"
			return c
		}, "no profile [other]"},
		{"profile without secret", func(c s3.Config) s3.Config {
			c.CredentialsFile = writeFile(t, "[default]\naws_access_key_id=a\n")
			return c
		}, "needs aws_access_key_id and aws_secret_access_key"},
		{"malformed line", func(c s3.Config) s3.Config {
			c.CredentialsFile = writeFile(t, "[default]\naws_access_key_id=a\nhunter2\n")
			return c
		}, "line 3"},
		{"malformed header", func(c s3.Config) s3.Config {
			c.CredentialsFile = writeFile(t, "[default\naws_secret_access_key=hunter2\n")
			return c
		}, "line 1"},
	}
	for _, c := range cases {
		_, err := s3.Open(t.Context(), c.cfg(base))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want one containing %q", c.name, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%s: error %q reveals the secret", c.name, err)
		}
	}
}
