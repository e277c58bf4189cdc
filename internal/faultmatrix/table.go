// Package faultmatrix is the fault matrix of the reliability work: each row
// makes the API misbehave one way (through cerbysim's faults, or a
// purpose-built server where cerbysim cannot express the fault), drives a
// pinned terraform or tofu against it, and checks that the run ends with
// exactly the simulator's data or with a clear error, never hanging. The
// rows are tests (run under TF_ACC); this file renders their outcomes as the
// markdown table `make reliability` writes.
package faultmatrix

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// Outcome is one row's result on one CLI.
type Outcome struct {
	Row      int
	Name     string // short name of the row
	API      string // the API it ran against, e.g. "Cerby API"
	Fault    string // what the server does
	Expected string // what the provider must do
	Result   string // what it did
	Passed   bool
	Duration time.Duration
	CLI      string // e.g. "terraform 1.5.7"
}

// WriteTable writes outcomes as one markdown table, in the order given.
func WriteTable(w io.Writer, outcomes []Outcome) error {
	var b strings.Builder
	b.WriteString("| # | Row | API | Fault | Expected | Outcome | Result | Duration | CLI |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|\n")
	for _, o := range outcomes {
		verdict := "pass"
		if !o.Passed {
			verdict = "**FAIL**"
		}
		fmt.Fprintf(&b, "| %d | %s | %s | %s | %s | %s | %s | %.1f s | %s |\n", o.Row, cell(o.Name), cell(o.API), cell(o.Fault), cell(o.Expected),
			verdict, cell(o.Result), o.Duration.Seconds(), cell(o.CLI))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// cell keeps a value inside its table cell: one line, pipes escaped.
func cell(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.ReplaceAll(s, "|", `\|`)
}
