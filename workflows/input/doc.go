// Package input holds the rules every workflow input follows when it is
// decoded: strictly, so that a misspelt or unknown field is an error that
// names it and the fields accepted there, before any work starts. It walks
// the Go types as encoding/json sees them (see Fields), which is also what
// package schema describes.
package input
