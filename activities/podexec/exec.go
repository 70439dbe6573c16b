package podexec

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/httpstream"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/remotecommand"
	utilexec "k8s.io/client-go/util/exec"
)

// Target is one container of one pod.
type Target struct {
	Namespace string
	Pod       string
	Container string
}

func (t Target) String() string {
	return fmt.Sprintf("container %s of pod %s/%s", t.Container, t.Namespace, t.Pod)
}

// Result is how a command ended: its exit code and the tails of its
// output.
type Result struct {
	ExitCode int
	// Stdout is the end of the command's stdout when Run was given no
	// writer for it.
	Stdout string `json:",omitempty"`
	Stderr string `json:",omitempty"`
}

// Executor runs commands in containers.
type Executor struct {
	Config *rest.Config
	Client kubernetes.Interface
}

// New returns an Executor for the cluster of cfg.
func New(cfg *rest.Config) (*Executor, error) {
	c, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	return &Executor{Config: cfg, Client: c}, nil
}

// Run runs cmd in t, not through a shell, feeding it stdin (none when nil)
// and copying its stdout to stdout (kept as a tail in Result.Stdout when
// nil). It returns when the command ends; a non-zero exit is the Result's
// ExitCode, not an error. When ctx ends first, Run returns ctx's error
// and the stream is closed: the command's stdin ends and its output is no
// longer read.
func (e *Executor) Run(ctx context.Context, t Target, cmd []string, stdin io.Reader, stdout io.Writer) (Result, error) {
	if len(cmd) == 0 {
		return Result{}, errors.New("an empty command")
	}
	ex, err := e.executor(t, cmd, stdin != nil)
	if err != nil {
		return Result{}, fmt.Errorf("exec in %s: %w", t, err)
	}
	errTail := newTail(TailBytes)
	var outTail *tail
	if stdout == nil {
		outTail = newTail(TailBytes)
		stdout = outTail
	}
	err = ex.StreamWithContext(ctx, remotecommand.StreamOptions{Stdin: stdin, Stdout: stdout, Stderr: errTail})
	res := Result{Stderr: errTail.String()}
	if outTail != nil {
		res.Stdout = outTail.String()
	}
	var exit utilexec.CodeExitError
	switch {
	case err == nil:
		return res, nil
	case errors.As(err, &exit):
		res.ExitCode = exit.Code
		return res, nil
	case ctx.Err() != nil:
		return res, ctx.Err()
	}
	return res, fmt.Errorf("exec in %s: %w", t, err)
}

// executor is the stream of one exec: WebSocket, falling back to SPDY for
// an apiserver that does not upgrade to it.
func (e *Executor) executor(t Target, cmd []string, stdin bool) (remotecommand.Executor, error) {
	req := e.Client.CoreV1().RESTClient().Post().Resource("pods").Namespace(t.Namespace).Name(t.Pod).
		SubResource("exec").VersionedParams(&corev1.PodExecOptions{
		Container: t.Container, Command: cmd, Stdin: stdin, Stdout: true, Stderr: true,
	}, scheme.ParameterCodec)
	spdy, err := remotecommand.NewSPDYExecutor(e.Config, http.MethodPost, req.URL())
	if err != nil || stdin {
		return spdy, err
	}
	ws, err := remotecommand.NewWebSocketExecutor(e.Config, http.MethodGet, req.URL().String())
	if err != nil {
		return nil, err
	}
	return remotecommand.NewFallbackExecutor(ws, spdy, func(err error) bool {
		return httpstream.IsUpgradeFailure(err) || httpstream.IsHTTPSProxyError(err)
	})
}
