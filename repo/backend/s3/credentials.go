package s3

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// credentialsProvider picks the credentials as documented on Config.
func credentialsProvider(cfg Config) (aws.CredentialsProvider, error) {
	profile := cfg.Profile
	if profile == "" {
		profile = os.Getenv("AWS_PROFILE")
	}
	switch {
	case cfg.AccessKeyID != "" || cfg.SecretAccessKey != "":
		if cfg.AccessKeyID == "" || cfg.SecretAccessKey == "" {
			return nil, errors.New("S3 credentials need both an access key ID and a secret access key")
		}
		return static(cfg.AccessKeyID, cfg.SecretAccessKey, cfg.SessionToken), nil
	case cfg.CredentialsFile != "":
		return fileCredentials(cfg.CredentialsFile, profile)
	case os.Getenv("AWS_ACCESS_KEY_ID") != "" || os.Getenv("AWS_SECRET_ACCESS_KEY") != "":
		id, secret := os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY")
		if id == "" || secret == "" {
			return nil, errors.New("S3 credentials from the environment need both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
		}
		return static(id, secret, os.Getenv("AWS_SESSION_TOKEN")), nil
	case os.Getenv("AWS_SHARED_CREDENTIALS_FILE") != "":
		return fileCredentials(os.Getenv("AWS_SHARED_CREDENTIALS_FILE"), profile)
	}
	return nil, errors.New("no S3 credentials: set an access key ID and secret access key, a credentials file, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
}

func static(id, secret, token string) aws.CredentialsProvider {
	return aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider(id, secret, token))
}

// fileCredentials reads the keys of profile from an AWS shared-credentials
// file.
func fileCredentials(path, profile string) (aws.CredentialsProvider, error) {
	if profile == "" {
		profile = "default"
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading S3 credentials: %w", err)
	}
	keys, err := parseCredentials(data, profile)
	if err != nil {
		return nil, fmt.Errorf("S3 credentials file %s: %w", path, err)
	}
	id, secret := keys["aws_access_key_id"], keys["aws_secret_access_key"]
	if id == "" || secret == "" {
		return nil, fmt.Errorf("S3 credentials file %s: profile [%s] needs aws_access_key_id and aws_secret_access_key", path, profile)
	}
	return static(id, secret, keys["aws_session_token"]), nil
}

// parseCredentials returns the keys of section profile of an INI file in
// the AWS shared-credentials format. Its errors never quote the file, which
// holds secrets.
func parseCredentials(data []byte, profile string) (map[string]string, error) {
	var keys, cur map[string]string // the profile's keys; the current section's
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || line[0] == '#' || line[0] == ';':
			continue
		case line[0] == '[':
			name, ok := strings.CutSuffix(line[1:], "]")
			if !ok {
				return nil, fmt.Errorf("line %d: unterminated section header", n)
			}
			name = strings.TrimSpace(name)
			name = strings.TrimSpace(strings.TrimPrefix(name, "profile "))
			cur = nil
			if name == profile {
				if keys == nil {
					keys = make(map[string]string)
				}
				cur = keys
			}
		default:
			k, v, ok := strings.Cut(line, "=")
			if !ok {
				return nil, fmt.Errorf("line %d: want key = value", n)
			}
			if cur != nil {
				cur[strings.ToLower(strings.TrimSpace(k))] = strings.TrimSpace(v)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if keys == nil {
		return nil, fmt.Errorf("no profile [%s]", profile)
	}
	return keys, nil
}
