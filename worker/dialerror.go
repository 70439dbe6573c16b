package worker

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
)

// checkAuthorized makes one call that needs authorization, describing
// namespace, so that on a secured connection (TLS or an API key) a refused
// caller fails the dial, with a message that says so, and not the first
// command.
func checkAuthorized(c client.Client, namespace string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := c.WorkflowService().DescribeNamespace(ctx, &workflowservice.DescribeNamespaceRequest{Namespace: namespace})
	if err != nil {
		c.Close()
	}
	return err
}

// dialError explains why dialing Temporal at addr failed: a TLS handshake
// that failed, or a refused API key, is named as such. With TLS on, a
// connection the server drops (broken pipe, reset) is a handshake it
// refused too: under TLS 1.3 a server that wants a client certificate
// sends its alert after the client thinks the handshake done.
func dialError(addr string, err error, tlsOn bool) error {
	var denied *serviceerror.PermissionDenied
	msg := err.Error()
	switch {
	case errors.As(err, &denied) || strings.Contains(msg, "nauthorized") || strings.Contains(msg, "Unauthenticated"):
		return fmt.Errorf("Temporal at %s refused the call (authorization failed): %w; check --temporal-api-key ($%s) or the client certificate", addr, err, APIKeyEnv)
	case strings.Contains(msg, "server preface"):
		return fmt.Errorf("connecting to Temporal at %s: %w; the server may need TLS: give --temporal-tls-ca ($%s)", addr, err, TLSCAEnv)
	case strings.Contains(msg, "handshake") || strings.Contains(msg, "tls:") || strings.Contains(msg, "x509:") || tlsOn && dropped(msg):
		return fmt.Errorf("TLS with Temporal at %s failed: %w; check --temporal-tls-ca ($%s), the client certificate (--temporal-tls-cert, --temporal-tls-key) and --temporal-tls-server-name", addr, err, TLSCAEnv)
	}
	return fmt.Errorf("connecting to Temporal at %s: %w", addr, err)
}

// dropped reports whether msg says the server closed the connection.
func dropped(msg string) bool {
	return strings.Contains(msg, "broken pipe") || strings.Contains(msg, "connection reset") || strings.Contains(msg, "EOF")
}
