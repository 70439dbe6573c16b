package s3

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// Default and limit values of Config.
const (
	DefaultMaxRetries = 10
	DefaultPartSize   = 8 << 20
	// MinPartSize is S3's smallest allowed part, except for the last.
	MinPartSize = 5 << 20
	// maxParts is S3's largest number of parts in one upload.
	maxParts = 10000
)

// Config says where a repository lives and how to reach it.
type Config struct {
	// Endpoint is the S3 service's URL, such as "https://s3.example.com" or
	// "http://10.0.0.5:9000"; without a scheme it means https. Empty means
	// AWS itself.
	Endpoint string
	// Bucket must exist; Prefix is the folder inside it ("" for the root).
	Bucket string
	Prefix string
	// Region signs the requests; empty means $AWS_REGION,
	// $AWS_DEFAULT_REGION, or else us-east-1.
	Region string
	// PathStyle puts the bucket into the URL path rather than the host
	// name. It is used anyway when the endpoint's host is an IP address or
	// localhost, where no bucket host name can resolve.
	PathStyle bool

	// Credentials, taken from the first source that has them: these
	// fields; else the [Profile] section (default "default", or
	// $AWS_PROFILE) of CredentialsFile, in AWS shared-credentials format;
	// else $AWS_ACCESS_KEY_ID, $AWS_SECRET_ACCESS_KEY and
	// $AWS_SESSION_TOKEN; else $AWS_SHARED_CREDENTIALS_FILE.
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
	CredentialsFile string
	Profile         string

	// CACertPEM or CACertFile adds certificate authorities to the system's
	// for the endpoint's TLS certificate; InsecureSkipVerify accepts any
	// certificate.
	CACertPEM          []byte
	CACertFile         string
	InsecureSkipVerify bool

	// MaxRetries is how often a failed request is retried, with
	// exponential backoff (default DefaultMaxRetries; negative means
	// never).
	MaxRetries int
	// PartSize is the size of the parts of a multipart upload, used for
	// files larger than it (default DefaultPartSize, at least MinPartSize).
	PartSize int64
}

// String describes c without its secrets.
func (c Config) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "s3.Config{Endpoint: %q, Bucket: %q, Prefix: %q, Region: %q", c.Endpoint, c.Bucket, c.Prefix, c.Region)
	if c.AccessKeyID != "" || c.SecretAccessKey != "" {
		b.WriteString(", keys: set")
	}
	if c.CredentialsFile != "" {
		fmt.Fprintf(&b, ", CredentialsFile: %q, Profile: %q", c.CredentialsFile, c.Profile)
	}
	b.WriteString("}")
	return b.String()
}

// GoString keeps secrets out of %#v too.
func (c Config) GoString() string { return c.String() }

// ParseURL reads restic's S3 repository syntax:
//
//	s3:https://host[:port]/bucket[/prefix...]
//	s3:http://host[:port]/bucket[/prefix...]
//	s3:host[:port]/bucket[/prefix...]         (https)
//
// It fills Endpoint, Bucket and Prefix; the caller adds credentials.
func ParseURL(s string) (Config, error) {
	rest, ok := strings.CutPrefix(s, "s3:")
	if !ok {
		return Config{}, errors.New(`S3 repository location must start with "s3:"`)
	}
	if !strings.Contains(rest, "://") {
		rest = "https://" + rest
	}
	u, err := url.Parse(rest)
	if err != nil {
		// url's errors quote the input, which may hold a secret.
		return Config{}, errors.New("S3 repository location is not a valid URL")
	}
	if u.User != nil {
		return Config{}, errors.New("S3 repository location must not hold credentials; set them separately")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return Config{}, fmt.Errorf("S3 repository location: scheme %q is neither http nor https", u.Scheme)
	}
	if u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return Config{}, errors.New("S3 repository location must look like s3:[http[s]://]host[:port]/bucket[/prefix]")
	}
	bucket, prefix, _ := strings.Cut(strings.TrimPrefix(u.Path, "/"), "/")
	if bucket == "" {
		return Config{}, fmt.Errorf("S3 repository location %s names no bucket", u.Host)
	}
	prefix, err = cleanPrefix(prefix)
	if err != nil {
		return Config{}, err
	}
	return Config{Endpoint: u.Scheme + "://" + u.Host, Bucket: bucket, Prefix: prefix}, nil
}

// cleanPrefix drops surrounding slashes and rejects empty, "." and ".."
// elements.
func cleanPrefix(p string) (string, error) {
	p = strings.Trim(p, "/")
	if p == "" {
		return "", nil
	}
	for _, elem := range strings.Split(p, "/") {
		if elem == "" || elem == "." || elem == ".." {
			return "", fmt.Errorf("S3 prefix %q has an empty, \".\" or \"..\" element", p)
		}
	}
	return p, nil
}

// endpointURL checks Endpoint and returns it with a scheme; "" stays "".
func endpointURL(endpoint string) (*url.URL, error) {
	if endpoint == "" {
		return nil, nil
	}
	if !strings.Contains(endpoint, "://") {
		endpoint = "https://" + endpoint
	}
	u, err := url.Parse(endpoint)
	if err != nil {
		return nil, errors.New("S3 endpoint is not a valid URL")
	}
	if u.User != nil {
		return nil, errors.New("S3 endpoint must not hold credentials; set them separately")
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errors.New("S3 endpoint must look like http[s]://host[:port]")
	}
	if strings.Trim(u.Path, "/") != "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("S3 endpoint %s://%s must not have a path; put the bucket and prefix in their own settings", u.Scheme, u.Host)
	}
	return &url.URL{Scheme: u.Scheme, Host: u.Host}, nil
}

// needsPathStyle reports whether host cannot carry a bucket sub-domain.
func needsPathStyle(u *url.URL) bool {
	if u == nil {
		return false
	}
	host := u.Hostname()
	return net.ParseIP(host) != nil || host == "localhost"
}
