package s3_test

import (
	"encoding/pem"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/cairn-backup/cairn/repo/backend/s3"
)

// TestTLS opens a bucket on an HTTPS server whose certificate no system
// authority signed: it works only with that certificate as a CA, or with
// verification off.
func TestTLS(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/xml")
		_, _ = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?>` +
			`<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name>` +
			`<KeyCount>0</KeyCount><MaxKeys>1</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>`))
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are expected
	srv.StartTLS()
	defer srv.Close()
	caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, caPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	base := s3.Config{Endpoint: srv.URL, Bucket: "b", AccessKeyID: "id", SecretAccessKey: "secret", MaxRetries: -1}

	if _, err := s3.Open(t.Context(), base); err == nil {
		t.Error("Open trusted an unknown certificate")
	}
	for name, cfg := range map[string]func(s3.Config) s3.Config{
		"CACertPEM":          func(c s3.Config) s3.Config { c.CACertPEM = caPEM; return c },
		"CACertFile":         func(c s3.Config) s3.Config { c.CACertFile = caFile; return c },
		"InsecureSkipVerify": func(c s3.Config) s3.Config { c.InsecureSkipVerify = true; return c },
	} {
		be, err := s3.Open(t.Context(), cfg(base))
		if err != nil {
			t.Errorf("with %s: %v", name, err)
			continue
		}
		be.Close()
	}
	bad := base
	bad.CACertPEM = []byte("not a certificate")
	if _, err := s3.Open(t.Context(), bad); err == nil {
		t.Error("Open accepted a CA certificate that is no PEM")
	}
}
