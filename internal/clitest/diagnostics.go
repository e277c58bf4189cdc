package clitest

import (
	"encoding/json"
	"strings"
)

// Diagnostic is one diagnostic of the CLI's -json output.
type Diagnostic struct {
	Severity string `json:"severity"`
	Summary  string `json:"summary"`
	Detail   string `json:"detail"`
	Address  string `json:"address"`
}

// Diagnostics returns the diagnostics of the -json streaming output of plan
// or apply (one JSON object per line). Lines that are not JSON messages, such
// as a panic trace, are ignored.
func Diagnostics(jsonLines string) []Diagnostic {
	var diags []Diagnostic
	for line := range strings.Lines(jsonLines) {
		var msg struct {
			Type       string      `json:"type"`
			Diagnostic *Diagnostic `json:"diagnostic"`
		}
		if json.Unmarshal([]byte(line), &msg) == nil && msg.Type == "diagnostic" && msg.Diagnostic != nil {
			diags = append(diags, *msg.Diagnostic)
		}
	}
	return diags
}
