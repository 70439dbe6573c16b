package worker

import (
	"cmp"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"strings"

	"go.temporal.io/sdk/client"
)

// Environment variables that secure the Temporal connection.
const (
	TLSCertEnv       = "CAIRN_TEMPORAL_TLS_CERT"
	TLSKeyEnv        = "CAIRN_TEMPORAL_TLS_KEY"
	TLSCAEnv         = "CAIRN_TEMPORAL_TLS_CA"
	TLSServerNameEnv = "CAIRN_TEMPORAL_TLS_SERVER_NAME"
	APIKeyEnv        = "CAIRN_TEMPORAL_API_KEY"
)

// setting is one connection setting: its value, where it came from (the
// flag or the variable) and both its names, for error messages.
type setting struct{ value, source, names string }

// pick is the field value when set, else the variable env.
func pick(field, flag, env string) setting {
	names := flag + " ($" + env + ")"
	if field != "" {
		return setting{field, flag, names}
	}
	return setting{os.Getenv(env), "$" + env, names}
}

// security applies cfg's TLS and API-key settings to opts. With an API key
// and no TLS setting the SDK uses TLS with the system's roots, as Temporal
// Cloud needs.
func (cfg Config) security(opts *client.Options) error {
	cert := pick(cfg.TemporalTLSCert, "--temporal-tls-cert", TLSCertEnv)
	key := pick(cfg.TemporalTLSKey, "--temporal-tls-key", TLSKeyEnv)
	ca := pick(cfg.TemporalTLSCA, "--temporal-tls-ca", TLSCAEnv)
	name := pick(cfg.TemporalTLSServerName, "--temporal-tls-server-name", TLSServerNameEnv)
	if apiKey := cmp.Or(cfg.TemporalAPIKey, os.Getenv(APIKeyEnv)); apiKey != "" {
		opts.Credentials = client.NewAPIKeyStaticCredentials(apiKey)
	}
	if cert.value == "" && key.value == "" && ca.value == "" && name.value == "" {
		return nil
	}
	conf, err := tlsConfig(cert, key, ca)
	if err != nil {
		return err
	}
	conf.ServerName = name.value
	opts.ConnectionOptions.TLS = conf
	return nil
}

// tlsConfig is the client TLS configuration of a client certificate and
// key (both or neither) and a CA (the system's roots when unset).
func tlsConfig(cert, key, ca setting) (*tls.Config, error) {
	conf := &tls.Config{MinVersion: tls.VersionTLS12}
	if (cert.value == "") != (key.value == "") {
		set, unset := cert, key
		if cert.value == "" {
			set, unset = key, cert
		}
		return nil, fmt.Errorf("%s is set but %s is not: give both the client certificate and its key, or neither", set.source, unset.names)
	}
	if cert.value != "" {
		pair, err := clientCertificate(cert, key)
		if err != nil {
			return nil, err
		}
		conf.Certificates = []tls.Certificate{pair}
	}
	if ca.value != "" {
		pool, err := caPool(ca)
		if err != nil {
			return nil, err
		}
		conf.RootCAs = pool
	}
	return conf, nil
}

// clientCertificate loads a PEM certificate and key.
func clientCertificate(cert, key setting) (tls.Certificate, error) {
	certPEM, err := readPEM(cert, "CERTIFICATE")
	if err != nil {
		return tls.Certificate{}, err
	}
	keyPEM, err := readPEM(key, "PRIVATE KEY")
	if err != nil {
		return tls.Certificate{}, err
	}
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("%s (%s) and %s (%s) are not a certificate and its key: %w; give the key the certificate was made for",
			cert.source, cert.value, key.source, key.value, err)
	}
	return pair, nil
}

// caPool is the pool of the PEM certificates of ca.
func caPool(ca setting) (*x509.CertPool, error) {
	data, err := readPEM(ca, "CERTIFICATE")
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(data) {
		return nil, fmt.Errorf("%s (%s) holds no valid CERTIFICATE block: give the PEM file of the CA that signed the Temporal server's certificate", ca.source, ca.value)
	}
	return pool, nil
}

// readPEM reads the file s names and checks that it holds a PEM block
// whose type ends in kind.
func readPEM(s setting, kind string) ([]byte, error) {
	data, err := os.ReadFile(s.value)
	if err != nil {
		return nil, fmt.Errorf("%s: cannot read %s: %w; give a readable PEM file", s.source, s.value, errors.Unwrap(err))
	}
	for rest := data; ; {
		var block *pem.Block
		if block, rest = pem.Decode(rest); block == nil {
			return nil, fmt.Errorf("%s: %s is not a PEM file with a %s block (-----BEGIN %s-----); give a PEM file, e.g. convert DER with `openssl x509 -inform der`", s.source, s.value, kind, kind)
		}
		if strings.HasSuffix(block.Type, kind) {
			return data, nil
		}
	}
}
