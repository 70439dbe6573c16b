package cli

import (
	"testing"

	"github.com/spf13/cobra"

	"github.com/cairn-backup/cairn/worker"
)

// TestTemporalSecurityFlags checks that the TLS and API-key flags reach
// the worker configuration every command dials with.
func TestTemporalSecurityFlags(t *testing.T) {
	cmd := &cobra.Command{Use: "x", RunE: func(*cobra.Command, []string) error { return nil }}
	tf := addTemporalFlags(cmd)
	cmd.SetArgs([]string{"--temporal-tls-cert", "c.pem", "--temporal-tls-key", "k.pem", "--temporal-tls-ca", "ca.pem",
		"--temporal-tls-server-name", "temporal.example", "--temporal-api-key", "secret"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	got, err := tf.config()
	if err != nil {
		t.Fatal(err)
	}
	want := worker.Config{TemporalTLSCert: "c.pem", TemporalTLSKey: "k.pem", TemporalTLSCA: "ca.pem",
		TemporalTLSServerName: "temporal.example", TemporalAPIKey: "secret"}
	if got.TemporalTLSCert != want.TemporalTLSCert || got.TemporalTLSKey != want.TemporalTLSKey || got.TemporalTLSCA != want.TemporalTLSCA ||
		got.TemporalTLSServerName != want.TemporalTLSServerName || got.TemporalAPIKey != want.TemporalAPIKey {
		t.Errorf("config %+v, want the flags' values %+v", got, want)
	}
}
