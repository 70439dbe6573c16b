package locations

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"

	"github.com/cairn-backup/cairn/repo/backend/location"
	"github.com/cairn-backup/cairn/repo/backend/s3"
)

// Open returns where loc keeps its data: the folder path+prefix, or an
// s3.Config for bucket and prefix with the endpoint (s3Url), region,
// path style (s3ForcePathStyle), TLS settings (caCert,
// insecureSkipTLSVerify) and the keys of its credentials file, from
// loc.CredentialsFile or the Secret its spec names. Without a credential the
// S3 client falls back to the AWS_* environment of the process. Open makes
// no request to the storage; location.Location's Open and Create do.
func (s *Store) Open(ctx context.Context, loc Location) (location.Location, error) {
	switch loc.Spec.Provider {
	case ProviderLocal:
		return location.Location{Path: filepath.Join(loc.Spec.Path, filepath.FromSlash(loc.Spec.Prefix))}, nil
	case ProviderAWS:
	default:
		return location.Location{}, fmt.Errorf("backup storage location %q: unknown provider %q", loc.Name, loc.Spec.Provider)
	}
	cfg, err := s3Config(loc.Spec)
	if err != nil {
		return location.Location{}, fmt.Errorf("backup storage location %q: %w", loc.Name, err)
	}
	creds := []byte(loc.CredentialsFile)
	if creds == nil && loc.Spec.Credential != nil {
		if creds, err = s.readSecretKey(ctx, *loc.Spec.Credential); err != nil {
			return location.Location{}, fmt.Errorf("credentials of backup storage location %q: %w", loc.Name, err)
		}
	}
	if creds != nil {
		keys, err := parseCredentialsFile(creds, loc.Spec.Config[ConfigProfile])
		if err != nil {
			return location.Location{}, fmt.Errorf("credentials of backup storage location %q: %w", loc.Name, err)
		}
		cfg.AccessKeyID, cfg.SecretAccessKey, cfg.SessionToken = keys.accessKeyID, keys.secretAccessKey, keys.sessionToken
	}
	return location.Location{S3: &cfg}, nil
}

// s3Config maps a spec of provider aws onto an s3.Config without keys.
func s3Config(spec Spec) (s3.Config, error) {
	c := spec.Config
	cfg := s3.Config{
		Endpoint: c[ConfigS3URL],
		Bucket:   spec.Bucket,
		Prefix:   spec.Prefix,
		Region:   c[ConfigRegion],
	}
	var err error
	if v := c[ConfigS3ForcePathStyle]; v != "" {
		if cfg.PathStyle, err = strconv.ParseBool(v); err != nil {
			return s3.Config{}, fmt.Errorf("config %s %q: use true or false", ConfigS3ForcePathStyle, v)
		}
	}
	if v := c[ConfigInsecureSkipTLS]; v != "" {
		if cfg.InsecureSkipVerify, err = strconv.ParseBool(v); err != nil {
			return s3.Config{}, fmt.Errorf("config %s %q: use true or false", ConfigInsecureSkipTLS, v)
		}
	}
	if v := c[ConfigCACert]; v != "" {
		if cfg.CACertPEM, err = decodeCACert(v); err != nil {
			return s3.Config{}, fmt.Errorf("config caCert: %w", err)
		}
	}
	return cfg, nil
}
