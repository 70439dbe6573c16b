package repo

import (
	"errors"
	"strings"
	"testing"

	"github.com/cairn-backup/cairn/repo/backend"
)

func TestOpenUnknownVersion(t *testing.T) {
	r := TestRepository(t, 2)
	cfg := r.cfg
	cfg.Version = 3
	if _, err := r.saveJSONUnpacked(t.Context(), backend.ConfigFile, cfg); err != nil {
		t.Fatal(err)
	}
	_, err := Open(t.Context(), r.be, TestPassword, Options{KDF: TestKDFParams})
	if !errors.Is(err, ErrUnsupportedVersion) || !strings.Contains(err.Error(), "upgrade") {
		t.Fatalf("version 3: %v", err)
	}
}

func TestConfigValidation(t *testing.T) {
	for _, bad := range []string{
		`{"version":2,"id":"","chunker_polynomial":"3da3358b4dc173"}`,
		`{"version":2,"id":"x","chunker_polynomial":"4"}`,
		`{"version":0,"id":"x","chunker_polynomial":"3da3358b4dc173"}`,
		`{"version":2`,
	} {
		if _, err := decodeConfig([]byte(bad)); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
	if _, err := decodeConfig([]byte(`{"version":1,"id":"x","chunker_polynomial":"3da3358b4dc173","is_hot":true}`)); err != nil {
		t.Errorf("rustic's extra fields: %v", err)
	}
}
