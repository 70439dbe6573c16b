package location

import "testing"

func TestParse(t *testing.T) {
	for in, want := range map[string]string{
		"/srv/restic":                       "path:/srv/restic",
		"relative/dir":                      "path:relative/dir",
		"local:/x":                          "path:/x",
		"s3:http://127.0.0.1:9000/b/p/q":    "s3:http://127.0.0.1:9000 b p/q",
		"s3:s3.amazonaws.com/bucket":        "s3:https://s3.amazonaws.com bucket ",
		"s3:https://minio.example:443/bk/x": "s3:https://minio.example:443 bk x",
	} {
		l, err := Parse(in)
		if err != nil {
			t.Fatalf("Parse(%q): %v", in, err)
		}
		got := "path:" + l.Path
		if l.S3 != nil {
			got = "s3:" + l.S3.Endpoint + " " + l.S3.Bucket + " " + l.S3.Prefix
		}
		if got != want {
			t.Errorf("Parse(%q) = %q, want %q", in, got, want)
		}
	}
	for _, bad := range []string{"", "sftp:host:/x", "s3:", "s3:http://host"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) succeeded, want an error", bad)
		}
	}
}
