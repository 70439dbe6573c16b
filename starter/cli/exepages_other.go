//go:build !linux

package cli

func releaseExecutablePages() {}
