package s3_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cairn-backup/cairn/repo/backend/s3"
)

func TestParseURL(t *testing.T) {
	cases := []struct {
		in                       string
		endpoint, bucket, prefix string
	}{
		{"s3:https://s3.example.com/bucket", "https://s3.example.com", "bucket", ""},
		{"s3:https://s3.example.com/bucket/", "https://s3.example.com", "bucket", ""},
		{"s3:http://127.0.0.1:9000/bucket/a/b/", "http://127.0.0.1:9000", "bucket", "a/b"},
		{"s3:s3.amazonaws.com/bucket/prefix", "https://s3.amazonaws.com", "bucket", "prefix"},
		{"s3:minio.local:9000/backups/cluster-1/ns", "https://minio.local:9000", "backups", "cluster-1/ns"},
		{"s3:http://[::1]:7070/b1", "http://[::1]:7070", "b1", ""},
	}
	for _, c := range cases {
		cfg, err := s3.ParseURL(c.in)
		if err != nil {
			t.Errorf("ParseURL(%q): %v", c.in, err)
			continue
		}
		if cfg.Endpoint != c.endpoint || cfg.Bucket != c.bucket || cfg.Prefix != c.prefix {
			t.Errorf("ParseURL(%q) = {%q, %q, %q}, want {%q, %q, %q}",
				c.in, cfg.Endpoint, cfg.Bucket, cfg.Prefix, c.endpoint, c.bucket, c.prefix)
		}
	}
}

func TestParseURLErrors(t *testing.T) {
	for _, in := range []string{
		"/srv/repo",
		"local:/srv/repo",
		"s3:",
		"s3:https://host",
		"s3:https://host/",
		"s3:ftp://host/bucket",
		"s3:https://host/bucket/../other",
		"s3:https://host/bucket/a//b",
		"s3:https://host/bucket?versionId=1",
		"s3:https://keyid:hunter2@host/bucket",
		"s3:https://host:badport:hunter2/bucket",
	} {
		cfg, err := s3.ParseURL(in)
		if err == nil {
			t.Errorf("ParseURL(%q) = %v, want an error", in, cfg)
			continue
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("ParseURL(%q) error %q repeats the secret", in, err)
		}
	}
}

func TestOpenRejectsBadEndpoints(t *testing.T) {
	for _, endpoint := range []string{
		"https://keyid:hunter2@s3.example.com",
		"ftp://s3.example.com",
		"https://s3.example.com/bucket",
	} {
		cfg := s3.Config{Endpoint: endpoint, Bucket: "b", AccessKeyID: "id", SecretAccessKey: "hunter2"}
		_, err := s3.Open(t.Context(), cfg)
		if err == nil {
			t.Errorf("Open with endpoint %q succeeded", endpoint)
		} else if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("Open with endpoint %q: error %q repeats the secret", endpoint, err)
		}
	}
}

func TestConfigStringHidesSecrets(t *testing.T) {
	cfg := s3.Config{
		Endpoint: "https://s3.example.com", Bucket: "b", AccessKeyID: "AKIDSECRETISH",
		SecretAccessKey: "hunter2", SessionToken: "tokentoken",
	}
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		s := fmt.Sprintf(format, cfg)
		for _, secret := range []string{"hunter2", "tokentoken", "AKIDSECRETISH"} {
			if strings.Contains(s, secret) {
				t.Errorf("Sprintf(%q, cfg) = %q reveals %q", format, s, secret)
			}
		}
	}
}
