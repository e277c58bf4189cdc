package faultmatrix

import (
	"strings"
	"testing"
	"time"
)

func TestWriteTableKeepsEachOutcomeOnOneRow(t *testing.T) {
	var b strings.Builder
	err := WriteTable(&b, []Outcome{
		{Row: 1, Name: "5xx", API: "Cerby API", Fault: "always 503", Expected: "clear error", Result: "error: a | b\nsecond line", Passed: true, Duration: 1250 * time.Millisecond, CLI: "terraform 1.5.7"},
		{Row: 2, Name: "empty page", Result: "right data?", Duration: time.Second, CLI: "tofu 1.12.6"},
	})
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	want := []string{
		"| # | Row | API | Fault | Expected | Outcome | Result | Duration | CLI |",
		"|---|---|---|---|---|---|---|---|---|",
		`| 1 | 5xx | Cerby API | always 503 | clear error | pass | error: a \| b second line | 1.2 s | terraform 1.5.7 |`,
		"| 2 | empty page |  |  |  | **FAIL** | right data? | 1.0 s | tofu 1.12.6 |",
	}
	if len(lines) != len(want) {
		t.Fatalf("table:\n%s", b.String())
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Errorf("line %d:\n got %s\nwant %s", i, lines[i], want[i])
		}
	}
}
