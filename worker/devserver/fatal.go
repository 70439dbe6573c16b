package devserver

import (
	"fmt"

	"go.uber.org/zap/zapcore"
)

// panicOnFatal makes a fatal log of the Temporal server panic with its
// message and fields. Zap's default exits the process, and with the
// server's log in a file that exit says nothing where its caller looks: a
// test process ended so, mid-test and without a word, when a port the
// server was to bind had been taken meanwhile.
type panicOnFatal struct{}

// OnWrite implements zapcore.CheckWriteHook.
func (panicOnFatal) OnWrite(ce *zapcore.CheckedEntry, fields []zapcore.Field) {
	enc := zapcore.NewMapObjectEncoder()
	for _, f := range fields {
		f.AddTo(enc)
	}
	delete(enc.Fields, "stacktrace")
	panic(fmt.Sprintf("the embedded Temporal server failed: %s %v", ce.Message, enc.Fields))
}
