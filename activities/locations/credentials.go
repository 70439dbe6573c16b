package locations

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"
)

// awsKeys are the keys of one profile of an AWS shared-credentials file.
type awsKeys struct {
	accessKeyID, secretAccessKey, sessionToken string
}

// parseCredentialsFile reads profile (default "default") of an AWS
// shared-credentials file, the format of Velero's credentials-velero:
//
//	[default]
//	aws_access_key_id = ...
//	aws_secret_access_key = ...
//
// Its errors never quote the file, which holds secrets.
func parseCredentialsFile(data []byte, profile string) (awsKeys, error) {
	if profile == "" {
		profile = "default"
	}
	var keys map[string]string
	inProfile := false
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || line[0] == '#' || line[0] == ';':
		case line[0] == '[':
			name, ok := strings.CutSuffix(line[1:], "]")
			if !ok {
				return awsKeys{}, fmt.Errorf("line %d: unterminated section header", n)
			}
			name = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(name), "profile "))
			inProfile = name == profile
			if inProfile && keys == nil {
				keys = make(map[string]string)
			}
		default:
			k, v, ok := strings.Cut(line, "=")
			if !ok {
				return awsKeys{}, fmt.Errorf("line %d: want key = value", n)
			}
			if inProfile {
				keys[strings.ToLower(strings.TrimSpace(k))] = strings.TrimSpace(v)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return awsKeys{}, err
	}
	if keys == nil {
		return awsKeys{}, fmt.Errorf("no profile [%s]", profile)
	}
	k := awsKeys{keys["aws_access_key_id"], keys["aws_secret_access_key"], keys["aws_session_token"]}
	if k.accessKeyID == "" || k.secretAccessKey == "" {
		return awsKeys{}, fmt.Errorf("profile [%s] needs aws_access_key_id and aws_secret_access_key", profile)
	}
	return k, nil
}

// checkCredentialsFile validates a credentials file without keeping it.
func checkCredentialsFile(data []byte, profile string) error {
	_, err := parseCredentialsFile(data, profile)
	return err
}
