package testbed

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/cairn-backup/cairn/worker"
	"github.com/cairn-backup/cairn/worker/devserver"
	"github.com/cairn-backup/cairn/workflows"
)

// TemporalCerts are the PEM files of a Temporal frontend's TLS: its CA,
// the frontend's certificate, a client certificate the frontend accepts,
// and a CA that signed none of them (for tests of a wrong CA).
type TemporalCerts struct {
	CA, ServerCert, ServerKey, ClientCert, ClientKey, OtherCA string
}

// MakeTemporalCerts writes a fresh set of TemporalCerts into dir. The
// server certificate is for localhost and 127.0.0.1.
func MakeTemporalCerts(dir string) (*TemporalCerts, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	f := func(name string) string { return filepath.Join(dir, name) }
	c := &TemporalCerts{
		CA: f("ca.crt"), ServerCert: f("frontend.crt"), ServerKey: f("frontend.key"),
		ClientCert: f("client.crt"), ClientKey: f("client.key"), OtherCA: f("other-ca.crt"),
	}
	ca, caKey, err := makeCA(c.CA, "cairn-temporal-test-ca")
	if err != nil {
		return nil, err
	}
	if _, _, err := makeCA(c.OtherCA, "cairn-unrelated-ca"); err != nil {
		return nil, err
	}
	server := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "temporal-frontend"},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:    []string{"localhost"}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
	}
	if err := signLeaf(server, ca, caKey, c.ServerCert, c.ServerKey); err != nil {
		return nil, err
	}
	client := &x509.Certificate{
		SerialNumber: big.NewInt(3), Subject: pkix.Name{CommonName: "cairn"},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	return c, signLeaf(client, ca, caKey, c.ClientCert, c.ClientKey)
}

// makeCA writes a self-signed CA certificate to certPath and returns it
// with its key.
func makeCA(certPath, name string) (*x509.Certificate, *ecdsa.PrivateKey, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	now := time.Now().Add(-time.Hour)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name},
		NotBefore: now, NotAfter: now.Add(24 * time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, err
	}
	return cert, key, writeCert(certPath, der)
}

// signLeaf completes tmpl, signs it with the CA and writes it and its new
// key.
func signLeaf(tmpl, ca *x509.Certificate, caKey *ecdsa.PrivateKey, certPath, keyPath string) error {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	tmpl.NotBefore, tmpl.NotAfter = ca.NotBefore, ca.NotAfter
	tmpl.KeyUsage = x509.KeyUsageDigitalSignature
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		return err
	}
	if err := writeCert(certPath, der); err != nil {
		return err
	}
	return writeKey(keyPath, key)
}

// SecureTemporal says how StartSecureTemporal guards its frontend.
type SecureTemporal struct {
	// MutualTLS requires client certificates signed by the certs' CA.
	MutualTLS bool
	// APIKey, when set, is the one bearer token the frontend accepts.
	APIKey string
}

// StartSecureTemporal starts an embedded Temporal, with Cairn's search
// attributes, whose frontend serves TLS with certs (and, as sec says,
// requires client certificates or an API key), logging into dir. The
// caller stops it.
func StartSecureTemporal(ctx context.Context, dir string, certs *TemporalCerts, sec SecureTemporal) (*devserver.Server, error) {
	return devserver.Start(ctx, devserver.Options{
		SearchAttributes: workflows.SearchAttributes, TLS: certs.frontend(sec.MutualTLS), APIKey: sec.APIKey,
		LogFile: filepath.Join(dir, "temporal-tls.log"),
	})
}

// temporalTLS makes the bed's Temporal certificates when opts asks for TLS
// and returns the frontend's TLS; nil for plaintext.
func (b *Bed) temporalTLS(opts Options) (*devserver.TLS, error) {
	if !opts.TemporalTLS && opts.TemporalAPIKey == "" {
		return nil, nil
	}
	certs, err := MakeTemporalCerts(filepath.Join(b.Dir, "temporal-tls"))
	if err != nil {
		return nil, err
	}
	b.TemporalCerts = certs
	return certs.frontend(opts.TemporalTLS), nil
}

// frontend is the frontend's TLS of c; mutual requires client certificates.
func (c *TemporalCerts) frontend(mutual bool) *devserver.TLS {
	tls := &devserver.TLS{CertFile: c.ServerCert, KeyFile: c.ServerKey}
	if mutual {
		tls.ClientCAFile = c.CA
	}
	return tls
}

// temporalEnv are the variables of the bed's Temporal TLS and API key.
func (b *Bed) temporalEnv() []Var {
	if b.TemporalCerts == nil {
		return nil
	}
	c := b.TemporalCerts
	vars := []Var{{worker.TLSCAEnv, c.CA}, {worker.TLSCertEnv, c.ClientCert}, {worker.TLSKeyEnv, c.ClientKey}}
	if b.temporalAPIKey != "" {
		vars = append(vars, Var{worker.APIKeyEnv, b.temporalAPIKey})
	}
	return vars
}
