package worker

import (
	"path/filepath"
	"strings"
	"testing"

	"go.temporal.io/sdk/client"
)

// TestTLSSettingsFlagsBeatVariables checks which setting is used, through
// the error that names it: the Config field (the flag) when set, else the
// variable.
func TestTLSSettingsFlagsBeatVariables(t *testing.T) {
	dir := t.TempDir()
	fromEnv, fromFlag := filepath.Join(dir, "env-ca.crt"), filepath.Join(dir, "flag-ca.crt")
	t.Setenv(TLSCAEnv, fromEnv)
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{}, "$" + TLSCAEnv + ": cannot read " + fromEnv},
		{Config{TemporalTLSCA: fromFlag}, "--temporal-tls-ca: cannot read " + fromFlag},
	} {
		var opts client.Options
		err := tc.cfg.security(&opts)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want one with %q", tc.cfg, err, tc.want)
		}
	}
}

// TestTLSSettingsNone checks that with no setting the connection stays
// plaintext and without credentials, and that an API key alone sets
// credentials and leaves TLS to the SDK's default (system roots).
func TestTLSSettingsNone(t *testing.T) {
	for _, v := range []string{TLSCertEnv, TLSKeyEnv, TLSCAEnv, TLSServerNameEnv, APIKeyEnv} {
		t.Setenv(v, "")
	}
	var opts client.Options
	if err := (Config{}).security(&opts); err != nil || opts.ConnectionOptions.TLS != nil || opts.Credentials != nil {
		t.Fatalf("no settings: err %v, TLS %v, credentials %v", err, opts.ConnectionOptions.TLS, opts.Credentials)
	}
	t.Setenv(APIKeyEnv, "k")
	if err := (Config{}).security(&opts); err != nil || opts.ConnectionOptions.TLS != nil || opts.Credentials == nil {
		t.Fatalf("API key: err %v, TLS %v, credentials %v", err, opts.ConnectionOptions.TLS, opts.Credentials)
	}
}

// TestTLSServerNameAlone checks that a server name alone turns TLS on with
// the system's roots and that name.
func TestTLSServerNameAlone(t *testing.T) {
	for _, v := range []string{TLSCertEnv, TLSKeyEnv, TLSCAEnv, APIKeyEnv} {
		t.Setenv(v, "")
	}
	t.Setenv(TLSServerNameEnv, "env.example")
	var opts client.Options
	if err := (Config{TemporalTLSServerName: "flag.example"}).security(&opts); err != nil {
		t.Fatal(err)
	}
	if tls := opts.ConnectionOptions.TLS; tls == nil || tls.ServerName != "flag.example" || tls.RootCAs != nil {
		t.Fatalf("TLS %+v, want server name flag.example and the system's roots", tls)
	}
}
