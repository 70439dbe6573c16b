package e2e

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cairn-backup/cairn/starter/cli"
	"github.com/cairn-backup/cairn/tests/testbed"
	"github.com/cairn-backup/cairn/worker"
	"github.com/cairn-backup/cairn/worker/devserver"
)

// secureTemporal starts a Temporal of its own, guarded as sec says, for
// the rest of the test and points the CLI's address at it.
func secureTemporal(t *testing.T, ctx context.Context, sec testbed.SecureTemporal) (*devserver.Server, *testbed.TemporalCerts) {
	t.Helper()
	dir := t.TempDir()
	certs, err := testbed.MakeTemporalCerts(filepath.Join(dir, "certs"))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := testbed.StartSecureTemporal(ctx, dir, certs, sec)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Stop() })
	t.Setenv(worker.AddressEnv, srv.HostPort())
	return srv, certs
}

// runServer runs `cairn server` with args until the test ends.
func runServer(t *testing.T, ctx context.Context, args ...string) {
	t.Helper()
	sctx, stop := context.WithCancel(ctx)
	done := make(chan int, 1)
	var out bytes.Buffer
	go func() { done <- cli.Run(sctx, append([]string{"server"}, args...), &out, &out) }()
	t.Cleanup(func() {
		stop()
		if code := <-done; code != 0 {
			t.Errorf("cairn server: exit %d\n%s", code, out.String())
		}
	})
}

// cairnFails runs the CLI, wants exit code 1 and an error naming each of want.
func cairnFails(t *testing.T, ctx context.Context, want []string, args ...string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := cli.Run(ctx, args, &out, &errOut)
	msg := errOut.String()
	if code != 1 {
		t.Errorf("cairn %s: exit %d, want 1\n%s%s", strings.Join(args, " "), code, out.String(), msg)
	}
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("cairn %s: error lacks %q:\n%s", strings.Join(args, " "), w, msg)
		}
	}
}

// TestTemporalMutualTLS runs cairn server and the CLI against a Temporal
// that requires client certificates: the server through the variables,
// the CLI through the flags; a wrong CA and a missing client certificate
// fail with an error that says TLS.
func TestTemporalMutualTLS(t *testing.T) {
	bed := testbed.ForTest(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	bed.InstallCairn(t, ctx, "cairn-tls", "tls")
	srv, certs := secureTemporal(t, ctx, testbed.SecureTemporal{MutualTLS: true})
	createApp(t, ctx, bed, "tls-app")

	runServer(t, ctx, "--temporal-tls-ca", certs.CA, "--temporal-tls-cert", certs.ClientCert, "--temporal-tls-key", certs.ClientKey,
		"--temporal-tls-server-name", "localhost")
	cairnFails(t, ctx, []string{"may need TLS", srv.HostPort()}, "backup", "get")
	t.Setenv(worker.TLSCAEnv, certs.CA)
	t.Setenv(worker.TLSCertEnv, certs.ClientCert)
	t.Setenv(worker.TLSKeyEnv, certs.ClientKey)
	cairn(t, ctx, 0, "backup", "create", "tls-backup", "--include-namespaces", "tls-app", "--wait")
	if out := cairn(t, ctx, 0, "backup", "get"); !strings.Contains(out, "tls-backup") || !strings.Contains(out, "Completed") {
		t.Errorf("backup get:\n%s", out)
	}

	wrongCA := []string{"backup", "get", "--temporal-tls-ca", certs.OtherCA, "--temporal-tls-cert", certs.ClientCert, "--temporal-tls-key", certs.ClientKey}
	cairnFails(t, ctx, []string{"TLS", srv.HostPort(), "--temporal-tls-ca"}, wrongCA...)
	t.Setenv(worker.TLSCertEnv, "")
	t.Setenv(worker.TLSKeyEnv, "")
	cairnFails(t, ctx, []string{"TLS", srv.HostPort()}, "backup", "get")
}

// TestTemporalAPIKey runs the CLI against a Temporal that accepts one API
// key: the right key (from the variable) works, a wrong one (from the
// flag, which beats the variable) is refused with a message naming
// authorization.
func TestTemporalAPIKey(t *testing.T) {
	bed := testbed.ForTest(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	bed.InstallCairn(t, ctx, "cairn-apikey", "apikey")
	srv, certs := secureTemporal(t, ctx, testbed.SecureTemporal{APIKey: "right-key"})
	t.Setenv(worker.TLSCAEnv, certs.CA)
	t.Setenv(worker.APIKeyEnv, "right-key")

	if out := cairn(t, ctx, 0, "schedule", "get"); strings.Contains(out, "error") {
		t.Errorf("schedule get with the right key:\n%s", out)
	}
	cairnFails(t, ctx, []string{"authoriz", srv.HostPort()}, "schedule", "get", "--temporal-api-key", "wrong-key")
	t.Setenv(worker.APIKeyEnv, "")
	cairnFails(t, ctx, []string{"authoriz", srv.HostPort()}, "schedule", "get")
}

// TestTemporalTLSValidation checks that bad TLS settings are refused
// before dialing, naming the flag or variable at fault.
func TestTemporalTLSValidation(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	dir := t.TempDir()
	certs, err := testbed.MakeTemporalCerts(dir)
	if err != nil {
		t.Fatal(err)
	}
	notPEM := filepath.Join(dir, "not.pem")
	if err := os.WriteFile(notPEM, []byte("not a certificate\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(worker.AddressEnv, "127.0.0.1:1")
	cairnFails(t, ctx, []string{"--temporal-tls-cert", "--temporal-tls-key", "give both"}, "backup", "get", "--temporal-tls-cert", certs.ClientCert)
	cairnFails(t, ctx, []string{"--temporal-tls-ca", notPEM, "not a PEM file"}, "backup", "get", "--temporal-tls-ca", notPEM)
	t.Setenv(worker.TLSKeyEnv, certs.ClientKey)
	cairnFails(t, ctx, []string{"$" + worker.TLSKeyEnv, "--temporal-tls-cert", "give both"}, "backup", "get")
	cairnFails(t, ctx, []string{"--temporal-tls-cert", "cannot read"}, "backup", "get", "--temporal-tls-cert", filepath.Join(dir, "missing.crt"))
}
