// Package podexec runs commands in the containers of pods through the pod
// exec API (the apiserver's pods/exec subresource), as `kubectl exec` does:
// the command's stdin and stdout are streams of any size, its stderr and
// the end of its stdout are kept as tails for the record, and a non-zero
// exit is a result rather than an error. It also tells whether a
// container runs, and waits until it does.
package podexec
