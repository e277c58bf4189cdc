package main

import (
	"strings"
	"testing"
)

// run is a `go test -json` stream, shaped as cmd/test2json writes it.
func run(lines ...string) string { return strings.Join(lines, "\n") + "\n" }

const (
	passA   = `{"Action":"run","Package":"p","Test":"TestA"}` + "\n" + `{"Action":"output","Package":"p","Test":"TestA","Output":"=== RUN   TestA\n"}` + "\n" + `{"Action":"pass","Package":"p","Test":"TestA"}`
	gatedB  = `{"Action":"output","Package":"p","Test":"TestB","Output":"    tfversion_checks.go:27: Terraform CLI version 1.5.7 is below minimum version 1.10.0: skipping test\n"}` + "\n" + `{"Action":"skip","Package":"p","Test":"TestB"}`
	plainC  = `{"Action":"output","Package":"p","Test":"TestC","Output":"    c_test.go:9: needs a server\n"}` + "\n" + `{"Action":"skip","Package":"p","Test":"TestC"}`
	failD   = `{"Action":"output","Package":"p","Test":"TestD","Output":"    d_test.go:3: got 1, want 2\n"}` + "\n" + `{"Action":"fail","Package":"p","Test":"TestD"}`
	pkgOK   = `{"Action":"output","Package":"p","Output":"ok  \tp\t1.0s\n"}` + "\n" + `{"Action":"pass","Package":"p"}`
	pkgFail = `{"Action":"output","Package":"p","Output":"panic: boom\n"}` + "\n" + `{"Action":"fail","Package":"p"}`
)

func TestSummarize(t *testing.T) {
	for _, tc := range []struct {
		name       string
		stream     string
		ok         bool
		want       []string // in what is printed
		wantAbsent []string
	}{
		{"passes and a version gate", run(passA, gatedB, pkgOK), true,
			[]string{"2 tests run (subtests included): 1 passed, 0 failed, 1 skipped (1 by a version gate)",
				"skipped by a version gate: TestB: Terraform CLI version 1.5.7 is below minimum version 1.10.0: skipping test", "ok  \tp"},
			[]string{"=== RUN", "error"}},
		{"any other skip fails the run", run(passA, plainC, pkgOK), false,
			[]string{"1 skipped (0 by a version gate)", "only a version gate (tfversion) may skip under TF_ACC: TestC: c_test.go:9: needs a server"}, nil},
		{"a failed test's output is shown", run(passA, failD, pkgFail), false,
			[]string{"d_test.go:3: got 1, want 2", "1 passed, 1 failed", "panic: boom"}, []string{"outside its tests"}},
		{"a package that fails outside its tests", run(passA, pkgFail), false,
			[]string{"panic: boom", "error: a package failed outside its tests"}, nil},
		{"no test ran", run(pkgOK), false, []string{"0 tests run", "error: no test ran"}, nil},
		{"only skips is no test run", run(gatedB, pkgOK), false, []string{"error: no test ran"}, nil},
		{"build errors pass through", run("# p\n./x.go:1: syntax error", `{"Action":"fail","Package":"p"}`), false,
			[]string{"./x.go:1: syntax error", "error: no test ran"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out strings.Builder
			s, err := summarize(strings.NewReader(tc.stream), &out, false)
			if err != nil {
				t.Fatal(err)
			}
			s.write(&out, "tofu-1.12.6", 0)
			text := out.String()
			if s.ok() != tc.ok {
				t.Errorf("ok = %v, want %v\n%s", s.ok(), tc.ok, text)
			}
			if !strings.Contains(text, "tofu-1.12.6: ") {
				t.Errorf("no summary line with the label:\n%s", text)
			}
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("output lacks %q:\n%s", w, text)
				}
			}
			for _, w := range tc.wantAbsent {
				if strings.Contains(text, w) {
					t.Errorf("output has %q:\n%s", w, text)
				}
			}
		})
	}
}

func TestVerboseShowsEveryOutput(t *testing.T) {
	var out strings.Builder
	if _, err := summarize(strings.NewReader(run(passA, pkgOK)), &out, true); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "=== RUN   TestA") {
		t.Errorf("-v hid a passing test's output:\n%s", out.String())
	}
}
