package realnode

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"os"
	"time"
)

// ca is the bed's certificate authority, read from its PEM files.
type ca struct {
	cert *x509.Certificate
	key  any
}

// loadCA reads the CA certificate and key at certPath and keyPath.
func loadCA(certPath, keyPath string) (*ca, error) {
	cb, err := readPEM(certPath)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(cb)
	if err != nil {
		return nil, err
	}
	kb, err := readPEM(keyPath)
	if err != nil {
		return nil, err
	}
	key, err := x509.ParseECPrivateKey(kb)
	if err != nil {
		return nil, err
	}
	return &ca{cert: cert, key: key}, nil
}

// readPEM returns the first PEM block of the file at path.
func readPEM(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	b, _ := pem.Decode(data)
	if b == nil {
		return nil, errors.New(path + " holds no PEM block")
	}
	return b.Bytes, nil
}

// clientCert writes a client certificate for cn in the groups orgs, signed
// by the CA, and its key, to certPath and keyPath.
func (c *ca) clientCert(cn string, orgs []string, certPath, keyPath string) error {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	serial, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	if err != nil {
		return err
	}
	now := time.Now().Add(-time.Hour)
	tmpl := &x509.Certificate{
		SerialNumber: serial, Subject: pkix.Name{CommonName: cn, Organization: orgs},
		NotBefore: now, NotAfter: now.Add(365 * 24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, c.cert, &key.PublicKey, c.key)
	if err != nil {
		return err
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return err
	}
	if err := os.WriteFile(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		return err
	}
	return os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600)
}
