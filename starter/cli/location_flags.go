package cli

import (
	"encoding/base64"
	"fmt"
	"os"

	"github.com/spf13/pflag"

	"github.com/cairn-backup/cairn/activities/locations"
)

// locationFlags are the settings `create` and `set` share.
type locationFlags struct {
	config          []string
	credential      string
	credentialsFile string
	caCert          string
	accessMode      string
	isDefault       bool
}

// locationFlagNames are the flags register adds.
var locationFlagNames = []string{"config", "credential", "credential-file", "cacert", "access-mode", "default"}

func (f *locationFlags) register(fs *pflag.FlagSet) {
	fs.StringArrayVar(&f.config, "config", nil, "provider settings key=value[,key=value...]; may be repeated (keys: region, s3ForcePathStyle, s3Url, insecureSkipTLSVerify, caCert, profile)")
	fs.StringVar(&f.credential, "credential", "", "Secret key with the S3 credentials file, as secret-name=key")
	fs.StringVar(&f.credentialsFile, "credential-file", "", "S3 credentials file (AWS format) to store in the location's own Secret")
	fs.StringVar(&f.caCert, "cacert", "", "PEM file of a CA that signs the S3 server's certificate")
	fs.StringVar(&f.accessMode, "access-mode", string(locations.ReadWrite), "ReadWrite or ReadOnly")
	fs.BoolVar(&f.isDefault, "default", false, "make this the default backup storage location")
}

// apply sets on loc the settings whose flags were given (all of them when
// changed is nil). Config keys merge into the existing ones; key= removes
// one.
func (f *locationFlags) apply(loc *locations.Location, changed func(string) bool) error {
	if changed == nil {
		changed = func(string) bool { return true }
	}
	s := &loc.Spec
	if len(f.config) > 0 {
		cfg, err := locations.ParseConfig(f.config)
		if err != nil {
			return err
		}
		if s.Config == nil {
			s.Config = make(map[string]string)
		}
		for k, v := range cfg {
			s.Config[k] = v
		}
	}
	if f.credential != "" && f.credentialsFile != "" {
		return fmt.Errorf("give either --credential or --credential-file, not both")
	}
	if f.credential != "" {
		ref, err := locations.ParseSecretKeyRef(f.credential)
		if err != nil {
			return fmt.Errorf("--credential: %w", err)
		}
		s.Credential = &ref
	}
	if f.credentialsFile != "" {
		data, err := os.ReadFile(f.credentialsFile)
		if err != nil {
			return fmt.Errorf("--credential-file: %w", err)
		}
		loc.CredentialsFile = data
	}
	if f.caCert != "" {
		pem, err := os.ReadFile(f.caCert)
		if err != nil {
			return fmt.Errorf("--cacert: %w", err)
		}
		if s.Config == nil {
			s.Config = make(map[string]string)
		}
		s.Config[locations.ConfigCACert] = base64.StdEncoding.EncodeToString(pem)
	}
	if changed("access-mode") {
		s.AccessMode = locations.AccessMode(f.accessMode)
	}
	if changed("default") {
		s.Default = f.isDefault
	}
	return nil
}
