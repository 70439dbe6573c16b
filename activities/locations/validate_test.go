package locations_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/cairn-backup/cairn/activities/locations"
)

// seedLocation is the seed's cephlocation.
func seedLocation() locations.Location {
	return locations.Location{Name: "cephlocation", Spec: locations.Spec{
		Provider: locations.ProviderAWS, Bucket: "velerobackupstorage", Prefix: "default",
		Config:     map[string]string{"region": "minio", "s3ForcePathStyle": "true", "s3Url": "https://192.168.1.10:80"},
		Credential: &locations.SecretKeyRef{Name: "credential-file", Key: "bsl"},
	}}
}

func TestValidateSeed(t *testing.T) {
	loc := seedLocation()
	loc.Spec.Prefix = "/default/"
	loc.Spec.Config["caCert"] = base64.StdEncoding.EncodeToString(testCertPEM(t))
	locations.Normalize(&loc)
	if err := locations.Validate(loc); err != nil {
		t.Fatal(err)
	}
	if loc.Spec.Prefix != "default" || loc.Spec.AccessMode != locations.ReadWrite {
		t.Fatalf("normalized to prefix %q, access mode %q", loc.Spec.Prefix, loc.Spec.AccessMode)
	}
}

// TestValidateRejects gives one bad input per case and wants an error that
// names the problem.
func TestValidateRejects(t *testing.T) {
	for _, c := range []struct {
		name   string
		change func(*locations.Location)
		want   string
	}{
		{"upper-case name", func(l *locations.Location) { l.Name = "Ceph" }, `name "Ceph"`},
		{"long name", func(l *locations.Location) { l.Name = strings.Repeat("a", 64) }, "name"},
		{"no provider", func(l *locations.Location) { l.Spec.Provider = "" }, "provider is required"},
		{"unknown provider", func(l *locations.Location) { l.Spec.Provider = "gcp" }, `unknown provider "gcp"`},
		{"no bucket", func(l *locations.Location) { l.Spec.Bucket = "" }, "bucket is required"},
		{"short bucket", func(l *locations.Location) { l.Spec.Bucket = "ab" }, "3 to 63"},
		{"upper-case bucket", func(l *locations.Location) { l.Spec.Bucket = "MyBucket" }, "lower-case"},
		{"bucket with underscore", func(l *locations.Location) { l.Spec.Bucket = "my_bucket" }, "lower-case"},
		{"bucket ending in hyphen", func(l *locations.Location) { l.Spec.Bucket = "bucket-" }, "begin and end"},
		{"bucket with two dots", func(l *locations.Location) { l.Spec.Bucket = "a..b" }, "two dots"},
		{"bucket like an IP", func(l *locations.Location) { l.Spec.Bucket = "192.168.1.10" }, "IP address"},
		{"prefix with ..", func(l *locations.Location) { l.Spec.Prefix = "a/../b" }, `".."`},
		{"prefix with //", func(l *locations.Location) { l.Spec.Prefix = "a//b" }, "empty"},
		{"unknown config key", func(l *locations.Location) { l.Spec.Config["publicUrl"] = "x" },
			`unknown config key "publicUrl": allowed keys are region, s3ForcePathStyle, s3Url, insecureSkipTLSVerify, caCert, profile`},
		{"s3Url without scheme", func(l *locations.Location) { l.Spec.Config["s3Url"] = "192.168.1.10:80" }, "s3Url"},
		{"s3Url ftp", func(l *locations.Location) { l.Spec.Config["s3Url"] = "ftp://host" }, "http:// or https://"},
		{"s3Url with path", func(l *locations.Location) { l.Spec.Config["s3Url"] = "http://host/bucket" }, "path"},
		{"s3Url with user", func(l *locations.Location) { l.Spec.Config["s3Url"] = "http://k:s@host" }, "credentials"},
		{"s3Url bad port", func(l *locations.Location) { l.Spec.Config["s3Url"] = "http://host:99999" }, "port"},
		{"path style not bool", func(l *locations.Location) { l.Spec.Config["s3ForcePathStyle"] = "yes please" }, "true or false"},
		{"insecure not bool", func(l *locations.Location) { l.Spec.Config["insecureSkipTLSVerify"] = "maybe" }, "true or false"},
		{"caCert garbage", func(l *locations.Location) { l.Spec.Config["caCert"] = "not a cert" }, "caCert"},
		{"bad region", func(l *locations.Location) { l.Spec.Config["region"] = "us east" }, "region"},
		{"bad credential name", func(l *locations.Location) { l.Spec.Credential.Name = "Bad_Name" }, "credential"},
		{"both credentials", func(l *locations.Location) { l.CredentialsFile = []byte("[default]\n") }, "either"},
		{"bad credentials file", func(l *locations.Location) {
			l.Spec.Credential = nil
			l.CredentialsFile = []byte("[default]\naws_access_key_id = only\n")
		}, "aws_secret_access_key"},
		{"access mode", func(l *locations.Location) { l.Spec.AccessMode = "WriteOnly" }, "ReadWrite or ReadOnly"},
		{"local with bucket", func(l *locations.Location) {
			l.Spec = locations.Spec{Provider: locations.ProviderLocal, Path: "/backups", Bucket: "b"}
		}, "bucket is only for provider aws"},
		{"local relative path", func(l *locations.Location) {
			l.Spec = locations.Spec{Provider: locations.ProviderLocal, Path: "backups"}
		}, "absolute"},
		{"local with config", func(l *locations.Location) {
			l.Spec = locations.Spec{Provider: locations.ProviderLocal, Path: "/b", Config: map[string]string{"region": "x"}}
		}, "no config"},
	} {
		t.Run(c.name, func(t *testing.T) {
			loc := seedLocation()
			c.change(&loc)
			locations.Normalize(&loc)
			err := locations.Validate(loc)
			if err == nil || !errors.Is(err, locations.ErrInvalid) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v; want an invalid-location error containing %q", err, c.want)
			}
			if !strings.Contains(err.Error(), `backup storage location "`+loc.Name+`"`) {
				t.Errorf("%v does not name the location", err)
			}
		})
	}
}

// TestCredentialsFileNotQuoted makes sure a bad credentials file's error
// does not repeat its content.
func TestCredentialsFileNotQuoted(t *testing.T) {
	loc := seedLocation()
	loc.Spec.Credential = nil
	loc.CredentialsFile = []byte("[default]\naws_access_key_id = AKIASECRETSECRET\nnot a line\n")
	err := locations.Validate(loc)
	if err == nil || strings.Contains(err.Error(), "AKIASECRET") || !strings.Contains(err.Error(), "line 3") {
		t.Fatalf("got %v", err)
	}
	if s := loc.CredentialsFile.String(); s != "[redacted]" {
		t.Fatalf("CredentialsFile prints as %q", s)
	}
}

func testCertPEM(t *testing.T) []byte {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"},
		NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}
