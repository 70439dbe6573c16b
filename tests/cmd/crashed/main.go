// Command crashed reads the JSON of a `go test -json` run (gotestsum's
// --jsonfile) and sorts its failed packages: it prints "crashed <pkg>" for
// a package whose test binary ended while a test ran, with no failure, panic
// or fatal error in its output (killed from outside, it said nothing), and
// "failed <pkg>" for every other failed package. tests/run-tests.sh runs
// the crashed ones again, once, and only when nothing else failed.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
)

type event struct {
	Action  string
	Package string
	Test    string
	Output  string
}

// pkgState is what one package's events said.
type pkgState struct {
	running map[string]bool // tests that started and have not ended
	failed  bool            // the package's own verdict
	spoke   bool            // its output reported a failure, panic or fatal error
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: crashed FILE.json")
		os.Exit(2)
	}
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "crashed:", err)
		os.Exit(2)
	}
	defer f.Close()
	pkgs, err := read(bufio.NewScanner(f))
	if err != nil {
		fmt.Fprintln(os.Stderr, "crashed:", err)
		os.Exit(2)
	}
	for _, line := range verdicts(pkgs) {
		fmt.Println(line)
	}
}

// read folds the events into the state of each package.
func read(sc *bufio.Scanner) (map[string]*pkgState, error) {
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	pkgs := map[string]*pkgState{}
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			return nil, fmt.Errorf("a line is not a test event: %w", err)
		}
		p := pkgs[e.Package]
		if p == nil {
			p = &pkgState{running: map[string]bool{}}
			pkgs[e.Package] = p
		}
		p.note(e)
	}
	return pkgs, sc.Err()
}

func (p *pkgState) note(e event) {
	switch {
	case e.Action == "output":
		for _, mark := range []string{"--- FAIL", "panic:", "fatal error:", "[build failed]", "[setup failed]"} {
			if strings.Contains(e.Output, mark) {
				p.spoke = true
			}
		}
	case e.Test != "" && e.Action == "run":
		p.running[e.Test] = true
	case e.Test != "" && (e.Action == "pass" || e.Action == "fail" || e.Action == "skip"):
		delete(p.running, e.Test)
	case e.Test == "" && e.Action == "fail":
		p.failed = true
	}
}

// verdicts lists the failed packages, sorted, as "crashed <pkg>" or
// "failed <pkg>".
func verdicts(pkgs map[string]*pkgState) []string {
	var out []string
	for name, p := range pkgs {
		if !p.failed {
			continue
		}
		kind := "failed"
		if len(p.running) > 0 && !p.spoke {
			kind = "crashed"
		}
		out = append(out, kind+" "+name)
	}
	slices.Sort(out)
	return out
}
