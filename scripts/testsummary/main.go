// Command testsummary reads `go test -json` on stdin, prints what a plain
// `go test` run would show of it (each failed test's output and the package
// results; everything with -v), and ends with one summary line for the run:
//
//	terraform-1.16.2: 52 tests run (subtests included): 50 passed, 0 failed, 2 skipped
//
// followed by one line per skipped test and its reason. A run under TF_ACC may
// skip a test only through a terraform-plugin-testing version check
// (tfversion), for a feature the CLI lacks; any other skip, a failure, or a
// run with no test fails the command.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"time"
)

// event is one line of `go test -json` (cmd/test2json).
type event struct {
	Action  string
	Package string
	Test    string
	Output  string
}

// versionGate matches the reasons tfversion's Skip* checks give, e.g.
// "Terraform CLI version 1.5.7 is below minimum version 1.10.0: skipping test".
var versionGate = regexp.MustCompile(`Terraform CLI version .*: skipping test`)

type skip struct {
	test, reason string
	gated        bool
}

type summary struct {
	passed, failed int
	skips          []skip
	packageFailed  bool
}

func (s *summary) ok() bool {
	return s.failed == 0 && !s.packageFailed && s.ungatedSkips() == 0 && s.passed+s.failed > 0
}

func (s *summary) ungatedSkips() int {
	n := 0
	for _, sk := range s.skips {
		if !sk.gated {
			n++
		}
	}
	return n
}

// summarize copies the run's output to w as it goes and returns its counts.
func summarize(in io.Reader, w io.Writer, verbose bool) (*summary, error) {
	s := &summary{}
	outputs := map[string]*strings.Builder{} // package + test -> its output so far
	scanner := bufio.NewScanner(in)
	scanner.Buffer(make([]byte, 1<<20), 64<<20)
	for scanner.Scan() {
		line := scanner.Bytes()
		var e event
		if len(line) == 0 || line[0] != '{' || json.Unmarshal(line, &e) != nil {
			fmt.Fprintf(w, "%s\n", line) // not test2json: a build error or the like
			continue
		}
		if e.Test == "" {
			s.packageEvent(w, e, verbose)
			continue
		}
		key := e.Package + " " + e.Test
		switch e.Action {
		case "output":
			if verbose {
				fmt.Fprint(w, e.Output)
			}
			b := outputs[key]
			if b == nil {
				b = &strings.Builder{}
				outputs[key] = b
			}
			b.WriteString(e.Output)
		case "pass":
			s.passed++
			delete(outputs, key)
		case "fail":
			s.failed++
			if !verbose && outputs[key] != nil {
				fmt.Fprint(w, outputs[key].String())
			}
			delete(outputs, key)
		case "skip":
			s.skips = append(s.skips, skipOf(e.Test, outputs[key]))
			delete(outputs, key)
		}
	}
	return s, scanner.Err()
}

// packageEvent shows what plain go test prints for a package: its output
// ("ok", "FAIL", a panic outside any test) and build failures.
func (s *summary) packageEvent(w io.Writer, e event, verbose bool) {
	switch e.Action {
	case "output", "build-output":
		if verbose || !strings.HasPrefix(e.Output, "=== ") {
			fmt.Fprint(w, e.Output)
		}
	case "fail", "build-fail":
		s.packageFailed = true
	}
}

func skipOf(test string, output *strings.Builder) skip {
	text := ""
	if output != nil {
		text = output.String()
	}
	if m := versionGate.FindString(text); m != "" {
		return skip{test: test, reason: m, gated: true}
	}
	reason := "no reason given"
	for line := range strings.Lines(text) {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "=== ") && !strings.HasPrefix(line, "--- ") {
			reason = line
		}
	}
	return skip{test: test, reason: reason}
}

func (s *summary) write(w io.Writer, label string, took time.Duration) {
	gated := len(s.skips) - s.ungatedSkips()
	fmt.Fprintf(w, "%s: %d tests run (subtests included): %d passed, %d failed, %d skipped (%d by a version gate) in %.0fs\n",
		label, s.passed+s.failed+len(s.skips), s.passed, s.failed, len(s.skips), gated, took.Seconds())
	for _, sk := range s.skips {
		kind := "skipped by a version gate"
		if !sk.gated {
			kind = "error: skipped, and only a version gate (tfversion) may skip under TF_ACC"
		}
		fmt.Fprintf(w, "  %s: %s: %s\n", kind, sk.test, sk.reason)
	}
	switch {
	case s.passed+s.failed == 0:
		fmt.Fprintln(w, "error: no test ran")
	case s.packageFailed && s.failed == 0:
		fmt.Fprintln(w, "error: a package failed outside its tests (see above)")
	}
}

func main() {
	label := flag.String("label", "go test", "what the summary line starts with, e.g. the CLI id")
	verbose := flag.Bool("v", false, "print every test's output, not only the failed tests'")
	flag.Parse()
	start := time.Now()
	s, err := summarize(os.Stdin, os.Stdout, *verbose)
	if err != nil {
		fmt.Fprintf(os.Stderr, "testsummary: reading go test -json: %v\n", err)
		os.Exit(1)
	}
	s.write(os.Stdout, *label, time.Since(start))
	if !s.ok() {
		os.Exit(1)
	}
}
