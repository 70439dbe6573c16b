package cli

import (
	"github.com/spf13/pflag"

	"github.com/cairn-backup/cairn/worker"
)

// temporalSecurity are the flags of the Temporal connection's TLS and API
// key; unset flags leave the CAIRN_TEMPORAL_* variables in charge.
type temporalSecurity struct {
	cert, key, ca, serverName, apiKey string
}

func (s *temporalSecurity) addFlags(pf *pflag.FlagSet) {
	pf.StringVar(&s.cert, "temporal-tls-cert", "", "PEM client certificate for mutual TLS with Temporal (default: $"+worker.TLSCertEnv+")")
	pf.StringVar(&s.key, "temporal-tls-key", "", "PEM key of --temporal-tls-cert (default: $"+worker.TLSKeyEnv+")")
	pf.StringVar(&s.ca, "temporal-tls-ca", "", "PEM CA that verifies Temporal's certificate; turns TLS on (default: $"+worker.TLSCAEnv+", else the system's roots when TLS is on)")
	pf.StringVar(&s.serverName, "temporal-tls-server-name", "", "name checked in Temporal's certificate instead of the address's host (default: $"+worker.TLSServerNameEnv+")")
	pf.StringVar(&s.apiKey, "temporal-api-key", "", "API key sent to Temporal as a bearer token; alone, turns TLS on with the system's roots (default: $"+worker.APIKeyEnv+")")
}

// apply copies the flags into cfg.
func (s *temporalSecurity) apply(cfg *worker.Config) {
	cfg.TemporalTLSCert, cfg.TemporalTLSKey, cfg.TemporalTLSCA = s.cert, s.key, s.ca
	cfg.TemporalTLSServerName, cfg.TemporalAPIKey = s.serverName, s.apiKey
}
