package locations_test

import (
	"maps"
	"strings"
	"testing"

	"github.com/cairn-backup/cairn/activities/locations"
)

// TestParseConfigSeed parses the seed's repeated --config flags exactly as
// written, quotes included.
func TestParseConfigSeed(t *testing.T) {
	got, err := locations.ParseConfig([]string{
		"region=minio",
		`region=minio,s3ForcePathStyle="true",s3Url=https://192.168.1.10:80`,
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"region": "minio", "s3ForcePathStyle": "true", "s3Url": "https://192.168.1.10:80"}
	if !maps.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestParseConfig(t *testing.T) {
	for _, c := range []struct {
		flags []string
		want  map[string]string
	}{
		{[]string{"region=a", "region=b"}, map[string]string{"region": "b"}},
		{[]string{`caCert='x,y=z',region=r`}, map[string]string{"caCert": "x,y=z", "region": "r"}},
		{[]string{" region = eu-west-1 , ", "s3Url="}, map[string]string{"region": "eu-west-1", "s3Url": ""}},
		{[]string{`"region"="r"`}, map[string]string{"region": "r"}},
	} {
		got, err := locations.ParseConfig(c.flags)
		if err != nil || !maps.Equal(got, c.want) {
			t.Errorf("ParseConfig(%q) = %v, %v; want %v", c.flags, got, err, c.want)
		}
	}
	for _, c := range []struct{ flag, want string }{
		{"region", "not key=value"},
		{"=x", "not key=value"},
		{`region="minio`, "unterminated"},
	} {
		if _, err := locations.ParseConfig([]string{c.flag}); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParseConfig(%q): %v; want an error with %q", c.flag, err, c.want)
		}
	}
}

func TestParseSecretKeyRef(t *testing.T) {
	ref, err := locations.ParseSecretKeyRef("credential-file=bsl")
	if err != nil || ref != (locations.SecretKeyRef{Name: "credential-file", Key: "bsl"}) || ref.String() != "credential-file=bsl" {
		t.Fatalf("got %+v, %v", ref, err)
	}
	for _, bad := range []string{"", "name", "=key", "name=", "Bad_Name=key", "name=bad/key"} {
		if _, err := locations.ParseSecretKeyRef(bad); err == nil {
			t.Errorf("ParseSecretKeyRef(%q) succeeded", bad)
		}
	}
}
