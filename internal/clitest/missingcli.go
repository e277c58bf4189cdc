package clitest

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// RequireFailsWithoutCLI runs the calling test binary's acceptance tests
// (^TestAcc) again with TF_ACC set and a pinned CLI that is not installed:
// they must fail, mustFail among them, naming the missing CLI, and none may
// skip or pass, so that a CI job without its CLI cannot pass by running
// nothing. It needs no CLI itself, and the child's -test.run leaves out the
// test that calls it.
func RequireFailsWithoutCLI(t *testing.T, mustFail string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestAcc", "-test.v", "-test.count=1")
	var env []string
	for _, kv := range os.Environ() {
		// The child must not write a reliability table, nor find the CLIs.
		if name, _, _ := strings.Cut(kv, "="); name != "CERBY_RELIABILITY_TABLE" && name != "CERBY_TOOLS_DIR" {
			env = append(env, kv)
		}
	}
	env = append(env, "TF_ACC=1", "CERBY_TEST_CLIS=terraform-0.0.0", "CERBY_TOOLS_DIR="+t.TempDir())
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	text := string(out)
	switch {
	case err == nil:
		t.Fatalf("the acceptance tests passed without their CLI:\n%s", text)
	case strings.Contains(text, "--- SKIP: TestAcc"):
		t.Fatalf("an acceptance test skipped without its CLI:\n%s", text)
	case strings.Contains(text, "--- PASS: TestAcc"):
		t.Fatalf("an acceptance test passed without its CLI:\n%s", text)
	case !strings.Contains(text, "--- FAIL: "+mustFail) || !strings.Contains(text, "pinned CLI terraform-0.0.0 is missing"):
		t.Fatalf("%s did not fail naming the missing CLI:\n%s", mustFail, text)
	}
}
