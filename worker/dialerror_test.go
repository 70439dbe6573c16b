package worker

import (
	"errors"
	"strings"
	"testing"
)

// TestDialErrorNamesTLS checks that a dial error is explained by what it
// says, and that a dropped connection counts as a refused handshake only
// when TLS is on.
func TestDialErrorNamesTLS(t *testing.T) {
	cases := []struct {
		err   string
		tlsOn bool
		want  string
	}{
		{"http2: failed reading the server preface", false, "may need TLS"},
		{"tls: failed to verify certificate: x509: unknown authority", true, "TLS with Temporal"},
		{"write tcp 127.0.0.1:1->127.0.0.1:2: write: broken pipe", true, "TLS with Temporal"},
		{"read: connection reset by peer", true, "TLS with Temporal"},
		{"write tcp 127.0.0.1:1->127.0.0.1:2: write: broken pipe", false, "connecting to Temporal"},
		{"rpc error: code = Unauthenticated", true, "authorization failed"},
	}
	for _, c := range cases {
		got := dialError("127.0.0.1:7233", errors.New(c.err), c.tlsOn).Error()
		if !strings.Contains(got, c.want) || !strings.Contains(got, "127.0.0.1:7233") {
			t.Errorf("dialError(%q, tls %v) = %q, want it to say %q and the address", c.err, c.tlsOn, got, c.want)
		}
	}
}
