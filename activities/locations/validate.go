package locations

import (
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"
)

// ErrInvalid is wrapped by the errors of Validate.
var ErrInvalid = errors.New("invalid backup storage location")

// InvalidError lists everything wrong with a location.
type InvalidError struct {
	Name     string
	Problems []string
}

func (e *InvalidError) Error() string {
	return fmt.Sprintf("backup storage location %q is invalid: %s", e.Name, strings.Join(e.Problems, "; "))
}

// Unwrap makes errors.Is(err, ErrInvalid) hold.
func (e *InvalidError) Unwrap() error { return ErrInvalid }

// Normalize fills defaults and tidies spellings that mean the same: it
// drops the prefix's surrounding slashes and config entries with empty
// values, cleans a local path and sets the access mode to ReadWrite when
// unset.
func Normalize(loc *Location) {
	loc.Name = strings.TrimSpace(loc.Name)
	s := &loc.Spec
	s.Prefix = strings.Trim(strings.TrimSpace(s.Prefix), "/")
	if s.Path != "" {
		s.Path = filepath.Clean(s.Path)
	}
	if s.AccessMode == "" {
		s.AccessMode = ReadWrite
	}
	for k, v := range s.Config {
		if v == "" {
			delete(s.Config, k)
		}
	}
	if len(s.Config) == 0 {
		s.Config = nil
	}
}

// Validate checks a normalized location and returns an *InvalidError that
// names every problem, or nil.
func Validate(loc Location) error {
	var p []string
	add := func(format string, args ...any) { p = append(p, fmt.Sprintf(format, args...)) }
	for _, msg := range validation.IsDNS1123Label(loc.Name) {
		add("name %q: %s", loc.Name, msg)
	}
	s := loc.Spec
	switch s.Provider {
	case ProviderAWS:
		p = append(p, validateAWS(s)...)
	case ProviderLocal:
		p = append(p, validateLocal(s)...)
	case "":
		add("provider is required: aws or local")
	default:
		add("unknown provider %q: use aws or local", s.Provider)
	}
	p = append(p, validatePrefix(s.Prefix)...)
	if s.Credential != nil && loc.CredentialsFile != nil && *s.Credential != ownCredentials(loc.Name) {
		add("give either a credential secret reference or a credentials file, not both")
	}
	for what, ref := range map[string]*SecretKeyRef{"credential": s.Credential, "repository password secret": s.RepositoryPassword} {
		if ref != nil {
			if err := ref.validate(); err != nil {
				add("%s: %v", what, err)
			}
		}
	}
	if loc.CredentialsFile != nil {
		if err := checkCredentialsFile(loc.CredentialsFile, s.Config[ConfigProfile]); err != nil {
			add("credentials file: %v", err)
		}
	}
	if m := s.AccessMode; m != ReadWrite && m != ReadOnly {
		add("access mode %q: use ReadWrite or ReadOnly", m)
	}
	if len(p) == 0 {
		return nil
	}
	slices.Sort(p)
	return &InvalidError{Name: loc.Name, Problems: p}
}

func validateAWS(s Spec) []string {
	var p []string
	if s.Bucket == "" {
		p = append(p, "bucket is required for provider aws")
	} else if err := validateBucket(s.Bucket); err != nil {
		p = append(p, err.Error())
	}
	if s.Path != "" {
		p = append(p, "path is only for provider local; use bucket and prefix")
	}
	for k, v := range s.Config {
		if err := validateConfig(k, v); err != nil {
			p = append(p, err.Error())
		}
	}
	return p
}

func validateLocal(s Spec) []string {
	var p []string
	if s.Path == "" {
		p = append(p, "path is required for provider local")
	} else if !filepath.IsAbs(s.Path) {
		p = append(p, fmt.Sprintf("path %q must be absolute", s.Path))
	}
	if s.Bucket != "" {
		p = append(p, "bucket is only for provider aws; use path")
	}
	if len(s.Config) > 0 {
		p = append(p, "provider local takes no config")
	}
	if s.Credential != nil {
		p = append(p, "provider local takes no credential")
	}
	return p
}

// validateBucket applies S3's bucket naming rules.
func validateBucket(b string) error {
	bad := func(why string) error { return fmt.Errorf("bucket %q: %s", b, why) }
	switch {
	case len(b) < 3 || len(b) > 63:
		return bad("must be 3 to 63 characters long")
	case strings.Trim(b, "abcdefghijklmnopqrstuvwxyz0123456789.-") != "":
		return bad("may hold only lower-case letters, digits, dots and hyphens")
	case !isAlnum(b[0]) || !isAlnum(b[len(b)-1]):
		return bad("must begin and end with a letter or digit")
	case strings.Contains(b, "..") || strings.Contains(b, ".-") || strings.Contains(b, "-."):
		return bad("must not have two dots, or a dot and a hyphen, side by side")
	case net.ParseIP(b) != nil:
		return bad("must not look like an IP address")
	case strings.HasPrefix(b, "xn--") || strings.HasPrefix(b, "sthree-"):
		return bad(`must not begin with "xn--" or "sthree-"`)
	case strings.HasSuffix(b, "-s3alias") || strings.HasSuffix(b, "--ol-s3"):
		return bad(`must not end with "-s3alias" or "--ol-s3"`)
	}
	return nil
}

func isAlnum(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }

// validatePrefix checks a prefix whose surrounding slashes are gone.
func validatePrefix(prefix string) []string {
	if prefix == "" {
		return nil
	}
	if len(prefix) > 512 {
		return []string{"prefix is longer than 512 characters"}
	}
	for _, elem := range strings.Split(prefix, "/") {
		if elem == "" || elem == "." || elem == ".." {
			return []string{fmt.Sprintf("prefix %q has an empty, \".\" or \"..\" element", prefix)}
		}
	}
	if strings.ContainsFunc(prefix, func(r rune) bool { return r < ' ' || r == 0x7f || r == '\\' }) {
		return []string{fmt.Sprintf("prefix %q holds a control character or backslash", prefix)}
	}
	return nil
}

// validateConfig checks one config entry of provider aws.
func validateConfig(k, v string) error {
	switch k {
	case ConfigRegion:
		if v == "" || strings.Trim(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") != "" {
			return fmt.Errorf("config region %q: use letters, digits and hyphens, as in us-east-1", v)
		}
	case ConfigS3ForcePathStyle, ConfigInsecureSkipTLS:
		if _, err := strconv.ParseBool(v); err != nil {
			return fmt.Errorf("config %s %q: use true or false", k, v)
		}
	case ConfigS3URL:
		return validateS3URL(v)
	case ConfigCACert:
		if _, err := decodeCACert(v); err != nil {
			return fmt.Errorf("config caCert: %w", err)
		}
	case ConfigProfile:
		if v == "" || strings.ContainsAny(v, "[]\n") {
			return fmt.Errorf("config profile %q is not a profile name", v)
		}
	default:
		return fmt.Errorf("unknown config key %q: allowed keys are %s", k, strings.Join(ConfigKeys, ", "))
	}
	return nil
}

func validateS3URL(v string) error {
	u, err := url.Parse(v)
	if err != nil {
		return fmt.Errorf("config s3Url %q is not a valid URL", v)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Errorf("config s3Url %q must start with http:// or https://", v)
	case u.Host == "" || u.Hostname() == "":
		return fmt.Errorf("config s3Url %q has no host", v)
	case u.User != nil:
		return errors.New("config s3Url must not hold credentials; use --credential or --credential-file")
	case strings.Trim(u.Path, "/") != "" || u.RawQuery != "" || u.Fragment != "":
		return fmt.Errorf("config s3Url %q must not have a path or query; give the bucket and prefix separately", v)
	}
	if port := u.Port(); port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return fmt.Errorf("config s3Url %q has an invalid port", v)
		}
	}
	return nil
}

// decodeCACert accepts a PEM bundle, plain or base64-encoded, with at
// least one certificate.
func decodeCACert(v string) ([]byte, error) {
	pem := []byte(v)
	if !strings.Contains(v, "-----BEGIN") {
		var err error
		if pem, err = base64.StdEncoding.DecodeString(strings.TrimSpace(v)); err != nil {
			return nil, errors.New("neither PEM nor base64-encoded PEM")
		}
	}
	if !x509.NewCertPool().AppendCertsFromPEM(pem) {
		return nil, errors.New("holds no PEM certificate")
	}
	return pem, nil
}

func (r SecretKeyRef) validate() error {
	if msgs := validation.IsDNS1123Subdomain(r.Name); len(msgs) > 0 {
		return fmt.Errorf("secret name %q: %s", r.Name, msgs[0])
	}
	if msgs := validation.IsConfigMapKey(r.Key); len(msgs) > 0 {
		return fmt.Errorf("secret key %q: %s", r.Key, msgs[0])
	}
	return nil
}
