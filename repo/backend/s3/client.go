package s3

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// newClient builds the SDK client for cfg and the transport to close with it.
func newClient(cfg Config) (*s3.Client, *http.Transport, error) {
	endpoint, err := endpointURL(cfg.Endpoint)
	if err != nil {
		return nil, nil, err
	}
	creds, err := credentialsProvider(cfg)
	if err != nil {
		return nil, nil, err
	}
	tr, err := transport(cfg)
	if err != nil {
		return nil, nil, err
	}
	opts := s3.Options{
		Region:       region(cfg),
		UsePathStyle: cfg.PathStyle || needsPathStyle(endpoint),
		Credentials:  creds,
		HTTPClient: &http.Client{
			Transport: tr,
			// Redirects go back to the SDK, which reports them as
			// errors (a bucket in another region, say).
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		Retryer: retryer(cfg.MaxRetries),
		// Checksums only where S3 requires them: many S3-compatible
		// servers reject the SDK's newer default trailing checksums.
		// Save sends Content-MD5 instead.
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
	}
	if endpoint != nil {
		opts.BaseEndpoint = aws.String(endpoint.String())
	}
	return s3.New(opts), tr, nil
}

// region is cfg's region, else the environment's, else us-east-1.
func region(cfg Config) string {
	for _, r := range []string{cfg.Region, os.Getenv("AWS_REGION"), os.Getenv("AWS_DEFAULT_REGION")} {
		if r != "" {
			return r
		}
	}
	return "us-east-1"
}

// retryer retries throttling, server errors and broken connections with
// exponential backoff and jitter, up to maxRetries times. Its retries are
// not rationed by the SDK's retry quota: a backup would rather wait than
// fail.
func retryer(maxRetries int) aws.Retryer {
	switch {
	case maxRetries == 0:
		maxRetries = DefaultMaxRetries
	case maxRetries < 0:
		maxRetries = 0
	}
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = maxRetries + 1
		o.RateLimiter = ratelimit.None
	})
}

// transport is an HTTP transport with cfg's certificate authorities.
func transport(cfg Config) (*http.Transport, error) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 16
	tlsCfg := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: cfg.InsecureSkipVerify} //nolint:gosec // the user's explicit choice
	if len(cfg.CACertPEM) > 0 || cfg.CACertFile != "" {
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		if len(cfg.CACertPEM) > 0 && !pool.AppendCertsFromPEM(cfg.CACertPEM) {
			return nil, errors.New("the S3 endpoint's CA certificate holds no PEM certificate")
		}
		if cfg.CACertFile != "" {
			pem, err := os.ReadFile(cfg.CACertFile)
			if err != nil {
				return nil, fmt.Errorf("reading the S3 endpoint's CA certificate: %w", err)
			}
			if !pool.AppendCertsFromPEM(pem) {
				return nil, fmt.Errorf("the S3 endpoint's CA certificate file %s holds no PEM certificate", cfg.CACertFile)
			}
		}
		tlsCfg.RootCAs = pool
	}
	tr.TLSClientConfig = tlsCfg
	return tr, nil
}
