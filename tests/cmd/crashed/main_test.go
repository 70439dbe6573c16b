package main

import (
	"bufio"
	"slices"
	"strings"
	"testing"
)

// The events of four packages: one passed, one failed a test, one
// panicked, one's binary died mid-test without a word (the CI run of
// 2026-12-06 saw tests/smoke end so, in 0.1 s).
const run = `{"Action":"start","Package":"ok"}
{"Action":"run","Package":"ok","Test":"TestA"}
{"Action":"pass","Package":"ok","Test":"TestA"}
{"Action":"pass","Package":"ok"}
{"Action":"run","Package":"bad","Test":"TestB"}
{"Action":"output","Package":"bad","Test":"TestB","Output":"--- FAIL: TestB (0.00s)\n"}
{"Action":"fail","Package":"bad","Test":"TestB"}
{"Action":"fail","Package":"bad"}
{"Action":"run","Package":"panicky","Test":"TestC"}
{"Action":"output","Package":"panicky","Test":"TestC","Output":"panic: boom\n"}
{"Action":"fail","Package":"panicky"}
{"Action":"run","Package":"killed","Test":"TestKubeVersion"}
{"Action":"output","Package":"killed","Test":"TestKubeVersion","Output":"=== RUN   TestKubeVersion\n"}
{"Action":"output","Package":"killed","Output":"FAIL\tkilled\t0.104s\n"}
{"Action":"fail","Package":"killed"}
`

func TestVerdicts(t *testing.T) {
	pkgs, err := read(bufio.NewScanner(strings.NewReader(run)))
	if err != nil {
		t.Fatal(err)
	}
	got := verdicts(pkgs)
	want := []string{"crashed killed", "failed bad", "failed panicky"}
	if !slices.Equal(got, want) {
		t.Errorf("verdicts %q, want %q", got, want)
	}
}

func TestNotEvents(t *testing.T) {
	if _, err := read(bufio.NewScanner(strings.NewReader("PASS\n"))); err == nil {
		t.Error("a line that is no event was accepted")
	}
}
