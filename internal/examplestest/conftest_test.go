package examplestest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cerby-community/terraform-provider-cerby/internal/cerbysim"
	"github.com/cerby-community/terraform-provider-cerby/internal/clitest"
)

// runConftestExample runs the pipeline of examples/conftest/README.md against
// the workspaces of examples/policy: conftest passes the clean one and, on
// the violating one, names every offender of each policy. On the Read API
// the two policies that need the Cerby API are skipped, each with a warning.
func runConftestExample(t *testing.T, x target, dir string) {
	conftest, policyDir := conftestBin(t), absPath(t, filepath.Join(dir, "policy"))
	for _, name := range []string{"clean", "violating"} {
		t.Run(name, func(t *testing.T) {
			s := startSim(t, x, loadWorkspace(t, filepath.Join(examplesDir, "policy", "workspaces", name+".json")), "")
			want := offendersOf(t, x.api, s.truth)
			if judged := len(findingsOf(x.api, s.truth).checked()); name == "violating" && len(want) != judged {
				t.Fatalf("violating.json should break all %d policies judged on the %s, it breaks %d", judged, x.api.name, len(want))
			}
			w := workdir(t, x.cli, dir, s)
			mustRun(t, w, "plan", "-out=tfplan", "-no-color")
			w.WriteFile(t, "plan.json", mustRun(t, w, "show", "-json", "tfplan").Stdout)

			out, code := runConftest(t, conftest, w.Dir, "test", "--output", "json", "-p", policyDir, "plan.json")
			var results []struct {
				Failures, Warnings []struct{ Msg string }
			}
			if err := json.Unmarshal([]byte(out), &results); err != nil || len(results) != 1 {
				t.Fatalf("conftest test output is not one file's results (%v):\n%s", err, out)
			}
			wantCode := 0 // conftest test exits 1 on any failure
			if len(want) > 0 {
				wantCode = 1
			}
			if code != wantCode {
				t.Errorf("conftest test exited %d on %s.json, want %d", code, name, wantCode)
			}
			var warnings []string
			for _, warning := range results[0].Warnings {
				warnings = append(warnings, warning.Msg)
			}
			slices.Sort(warnings)
			if want := conftestSkipWarnings(x.api); !slices.Equal(warnings, want) {
				t.Errorf("warnings %q, want %q", warnings, want)
			}
			byPolicy := map[string][]string{}
			for _, f := range results[0].Failures {
				t.Logf("conftest: %s", f.Msg)
				policy, _, _ := strings.Cut(f.Msg, ": ")
				byPolicy[policy] = append(byPolicy[policy], f.Msg)
			}
			for policy, msgs := range byPolicy {
				if want[policy] == nil {
					t.Errorf("unexpected failures %q", msgs)
				}
			}
			for policy, offenders := range want {
				requireOffenders(t, policy, byPolicy[policy], offenders)
			}
		})
	}
}

// requireOffenders checks there is one message per offender and that it
// names all of the offender's words.
func requireOffenders(t *testing.T, policy string, msgs []string, offenders [][]string) {
	t.Helper()
	if len(msgs) != len(offenders) {
		t.Errorf("policy %q: %d failures %q, want one for each of %q", policy, len(msgs), msgs, offenders)
		return
	}
	for _, words := range offenders {
		if !slices.ContainsFunc(msgs, func(msg string) bool { return containsAll(msg, words) }) {
			t.Errorf("policy %q: no failure names %q: %q", policy, words, msgs)
		}
	}
}

// conftestSkipWarnings are the warnings of the policies that need the Cerby
// API, on the Read API: they are skipped there.
func conftestSkipWarnings(a api) []string {
	if a == cerbyAPI {
		return nil
	}
	return []string{
		policyMemberMFA + `: skipped, as the plan reads the Read API (var.api = "read_api"), which sends no member's MFA status`,
		policyVaultKey + `: skipped, as the plan reads the Read API (var.api = "read_api"), which has no vaults`,
	}
}

// offendersOf is what the policies must report on ws, as a serves it:
// policy => one list of words (ids and names) per offender, each to be
// named by one message.
func offendersOf(t *testing.T, a api, ws *cerbysim.Workspace) map[string][][]string {
	t.Helper()
	out := map[string][][]string{}
	if a == cerbyAPI {
		for _, m := range membersWithoutMFA(ws) {
			why := "has no MFA status"
			if value(m, "mfaStatus", "mfaEnabled") == false {
				why = "has not enrolled MFA"
			}
			out[policyMemberMFA] = append(out[policyMemberMFA], []string{m.String("id"), fullName(m), m.String("email"), why})
		}
		for _, v := range vaultsWithoutKey(ws) {
			why := "has no scheme"
			if scheme := v.Attributes.String("scheme"); scheme != "" {
				why = "uses " + scheme
			}
			out[policyVaultKey] = append(out[policyVaultKey], []string{v.ID, v.Attributes.String("name"), why})
		}
	}
	for _, a := range filterAccounts(ws, func(a *cerbysim.Object) bool { return !a.Bool("mfaEnabled") }) {
		out["every account has MFA"] = append(out["every account has MFA"], []string{a.String("id"), a.String("name")})
	}
	for _, m := range filterMembers(ws, isDisabled) {
		if reach := reachable(ws, m.String("id")); len(reach) > 0 {
			out["no disabled member retains access"] = append(out["no disabled member retains access"],
				append([]string{m.String("id"), fullName(m), m.String("email")}, names(reach)...))
		}
	}
	for i := range ws.Accounts {
		a := &ws.Accounts[i]
		if creator := ws.Member(creatorID(a)); creator != nil && creator.Bool("isGuest") {
			out["no guest owns an account"] = append(out["no guest owns an account"],
				[]string{a.String("id"), a.String("name"), creator.String("id"), fullName(creator)})
		}
	}
	// As many as examples/policy finds, so both judge alike.
	truth := findingsOf(a, ws)
	if len(out["every account has MFA"]) != len(truth.withoutMFA) ||
		len(out["no disabled member retains access"]) != len(truth.disabledReach) ||
		len(out["no guest owns an account"]) != len(truth.guestOwned) ||
		len(out[policyMemberMFA]) != len(truth.membersWithoutMFA) ||
		len(out[policyVaultKey]) != len(truth.vaultsWithoutKey) {
		t.Fatalf("offenders %q disagree with findingsOf %+v", out, truth)
	}
	return out
}

func fullName(m *cerbysim.Object) string { return m.String("firstName") + " " + m.String("lastName") }

func containsAll(s string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(s, w) {
			return false
		}
	}
	return true
}

// TestAccConftestVerify runs the policies' own Rego tests.
func TestAccConftestVerify(t *testing.T) {
	clitest.RequireAcc(t)
	policyDir := absPath(t, filepath.Join(examplesDir, "conftest", "policy"))
	out, code := runConftest(t, conftestBin(t), t.TempDir(), "verify", "--output", "json", "-p", policyDir)
	var results []struct {
		Successes int
		Failures  []struct{ Msg string }
	}
	if err := json.Unmarshal([]byte(out), &results); err != nil || len(results) == 0 {
		t.Fatalf("conftest verify output is not results (%v):\n%s", err, out)
	}
	passed := 0
	for _, r := range results {
		passed += r.Successes
		for _, f := range r.Failures {
			t.Errorf("rego test failed: %s", f.Msg)
		}
	}
	if code != 0 || passed == 0 {
		t.Errorf("conftest verify exited %d with %d tests passed, want 0 and some", code, passed)
	}
}

// conftestBin is the conftest scripts/install-tools.sh builds into the tools
// folder; a missing one fails the test.
func conftestBin(t *testing.T) string {
	t.Helper()
	path := filepath.Join(clitest.ToolsDir(), "bin", "conftest")
	if info, err := os.Stat(path); err != nil || info.IsDir() || info.Mode().Perm()&0o111 == 0 {
		t.Fatalf("conftest is missing at %s: build it with scripts/install-tools.sh conftest", path)
	}
	return path
}

// runConftest runs conftest in dir and returns its stdout and exit code; a
// run that did not exit by itself fails the test. Only PATH and a fresh HOME
// reach it, so no CONFTEST_* setting of the developer's shell applies.
func runConftest(t *testing.T, bin, dir string, args ...string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	var exit *exec.ExitError
	if err := cmd.Run(); err != nil && (!errors.As(err, &exit) || exit.ExitCode() < 0) {
		t.Fatalf("conftest %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	if stderr.Len() > 0 {
		t.Logf("conftest stderr:\n%s", stderr.String())
	}
	return stdout.String(), cmd.ProcessState.ExitCode()
}

// absPath is path from the test's folder, for a command run in another one.
func absPath(t *testing.T, path string) string {
	t.Helper()
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}
