package devserver

import (
	"errors"
	"strings"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"
)

// TestFatalPanics: the server's fatal log panics with its message and its
// error instead of exiting the process, after it has been written.
func TestFatalPanics(t *testing.T) {
	core, logs := observer.New(zapcore.InfoLevel)
	zl := zap.New(core, zap.WithFatalHook(panicOnFatal{}))
	defer func() {
		msg, _ := recover().(string)
		if !strings.Contains(msg, "Failed to start ringpop listener") || !strings.Contains(msg, "address already in use") {
			t.Errorf("panic %q, want the message and its error", msg)
		}
		if logs.Len() != 1 {
			t.Errorf("%d entries written before the panic, want 1", logs.Len())
		}
	}()
	zl.Fatal("Failed to start ringpop listener", zap.Error(errors.New("bind: address already in use")))
	t.Error("Fatal returned")
}
