package examplestest

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cerby-community/terraform-provider-cerby/internal/cerbysim"
	"github.com/cerby-community/terraform-provider-cerby/internal/clitest"
)

func TestMain(m *testing.M) { clitest.Main(m) }

const (
	examplesDir = "../../examples"
	apiKey      = "examples-test-key-5b21"
	// The workspace examples/provider/provider.tf names.
	providerWorkspace = "acme"
)

// example runs one configuration folder (relative to examples/) and checks it.
type example struct {
	dir string
	run func(t *testing.T, cli clitest.CLI, dir string)
}

var examples = []example{
	{"provider", runProviderExample},
	{"data-sources/cerby_account", runDataSourceExample(checkAccountExample)},
	{"data-sources/cerby_accounts", runDataSourceExample(checkAccountsExample)},
	{"data-sources/cerby_user_accounts", runDataSourceExample(checkUserAccountsExample)},
	{"data-sources/cerby_users", runDataSourceExample(checkUsersExample)},
	{"demo", runDemo},
	{"policy", runPolicy},
	{"inventory", runInventory},
	{"conftest", runConftestExample},
}

func TestAccExamples(t *testing.T) {
	clitest.RequireAcc(t)
	for _, cli := range clitest.CLIs(t) {
		t.Run(cli.Name, func(t *testing.T) {
			for _, ex := range examples {
				t.Run(ex.dir, func(t *testing.T) { ex.run(t, cli, filepath.Join(examplesDir, ex.dir)) })
			}
		})
	}
}

// TestEveryExampleIsRun keeps the list above complete: a new example folder
// must be added to it, so that it runs in CI.
func TestEveryExampleIsRun(t *testing.T) {
	var found []string
	for _, pattern := range []string{"*/*.tf", "data-sources/*/*.tf"} {
		files, err := filepath.Glob(filepath.Join(examplesDir, pattern))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			dir, _ := filepath.Rel(examplesDir, filepath.Dir(f))
			found = append(found, dir)
		}
	}
	slices.Sort(found)
	found = slices.Compact(found)
	var listed []string
	for _, ex := range examples {
		listed = append(listed, ex.dir)
	}
	slices.Sort(listed)
	if !slices.Equal(found, listed) {
		t.Errorf("example folders %q, but the test runs %q", found, listed)
	}
}

// sim is a cerbysim serving on loopback, and its base URL.
type sim struct {
	*cerbysim.Server
	url string
}

// startSim serves ws for the duration of the test.
func startSim(t *testing.T, ws *cerbysim.Workspace, requireWorkspace string) sim {
	t.Helper()
	s := cerbysim.New(ws, cerbysim.Config{APIKey: apiKey, RequireWorkspace: requireWorkspace})
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	url, err := s.Start("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return sim{s, url}
}

// workdir copies the example and points the provider at s through the
// environment, as a user would point it at a real workspace.
func workdir(t *testing.T, cli clitest.CLI, dir string, s sim) *clitest.Workdir {
	t.Helper()
	w := clitest.NewWorkdir(t, cli, dir)
	w.Env["CERBY_ENDPOINT"] = s.url
	w.Env["CERBY_API_KEY"] = apiKey
	return w
}

func run(t *testing.T, w *clitest.Workdir, args ...string) clitest.Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	return w.Run(ctx, args...)
}

// mustRun runs the CLI and fails the test unless it exits 0.
func mustRun(t *testing.T, w *clitest.Workdir, args ...string) clitest.Result {
	t.Helper()
	r := run(t, w, args...)
	if r.ExitCode != 0 || r.Err != nil {
		t.Fatalf("%s %s: exit %d %v\n%s%s", w.CLI.Name, strings.Join(args, " "), r.ExitCode, r.Err, r.Stdout, r.Stderr)
	}
	return r
}

// apply applies the configuration and returns its outputs.
func apply(t *testing.T, w *clitest.Workdir) map[string]any {
	t.Helper()
	mustRun(t, w, "apply", "-auto-approve", "-no-color")
	return w.Outputs(t)
}

func loadWorkspace(t *testing.T, path string) *cerbysim.Workspace {
	t.Helper()
	ws, err := cerbysim.LoadWorkspace(path)
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

// equalJSON compares an output with the value the workspace predicts, both
// as JSON, so numbers and nested shapes compare the same way.
func equalJSON(t *testing.T, name string, got, want any) {
	t.Helper()
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if string(g) != string(w) {
		t.Errorf("output %s =\n%s\nwant\n%s", name, g, w)
	}
}

// --- provider and data-source examples -------------------------------------

func runProviderExample(t *testing.T, cli clitest.CLI, dir string) {
	ws := loadWorkspace(t, "testdata/docs-workspace.json")
	api := startSim(t, ws, providerWorkspace)
	w := workdir(t, cli, dir, api)
	// The example configures the provider only; a read makes it connect.
	w.WriteFile(t, "probe.tf", "data \"cerby_accounts\" \"probe\" {\n  max_items = 1\n}\n"+
		"output \"probe\" {\n  value = data.cerby_accounts.probe.truncated\n}\n")
	out := apply(t, w)
	equalJSON(t, "probe", out["probe"], len(ws.Accounts) > 1)
	if n := api.Counters().ByStatus[200]; n == 0 {
		t.Errorf("cerbysim served no successful request: %v", api.Counters().ByStatus)
	}
}

// runDataSourceExample runs a data-source example beside the provider example,
// as the docs present them, against the docs workspace.
func runDataSourceExample(check func(t *testing.T, ws *cerbysim.Workspace, out map[string]any)) func(*testing.T, clitest.CLI, string) {
	return func(t *testing.T, cli clitest.CLI, dir string) {
		ws := loadWorkspace(t, "testdata/docs-workspace.json")
		w := workdir(t, cli, dir, startSim(t, ws, providerWorkspace))
		provider, err := os.ReadFile(filepath.Join(examplesDir, "provider", "provider.tf"))
		if err != nil {
			t.Fatal(err)
		}
		w.WriteFile(t, "provider.tf", string(provider))
		check(t, ws, apply(t, w))
	}
}

func checkAccountExample(t *testing.T, ws *cerbysim.Workspace, out map[string]any) {
	a := findAccount(t, ws, "Brand Instagram")
	var policy map[string]bool
	if raw, ok := a.Get("workspacePolicyResult"); ok {
		_ = json.Unmarshal(raw, &policy)
	}
	equalJSON(t, "brand_instagram_security", out["brand_instagram_security"], map[string]any{
		"mfa_enabled":       a.Bool("mfaEnabled"),
		"mfa_types":         a.Strings("mfaTypes"),
		"password_rotation": policy["password_rotation"],
		"last_rotated_at":   a.String("rotatedAt"),
	})
}

func checkAccountsExample(t *testing.T, ws *cerbysim.Workspace, out map[string]any) {
	social := filterAccounts(ws, func(a *cerbysim.Object) bool {
		app := a.String("provider")
		return (app == "instagram" || app == "tiktok") && !a.Bool("mfaEnabled")
	})
	equalJSON(t, "social_accounts_without_mfa", out["social_accounts_without_mfa"], appAndNames(social))
	legacy := filterAccounts(ws, func(a *cerbysim.Object) bool {
		return strings.Contains(strings.ToLower(a.String("name")), "legacy") &&
			a.String("type") == "secret" && a.String("status") == "disabled"
	})
	equalJSON(t, "legacy_secret_ids", out["legacy_secret_ids"], ids(legacy))
	if len(social) == 0 || len(legacy) == 0 {
		t.Error("the docs workspace should give both outputs something to list")
	}
}

func checkUserAccountsExample(t *testing.T, ws *cerbysim.Workspace, out map[string]any) {
	alex := findMember(t, ws, "alex.rivera@example.com")
	equalJSON(t, "accounts_alex_reaches", out["accounts_alex_reaches"], names(reachable(ws, alex.String("id"))))
	var removedReach []string
	for _, m := range filterMembers(ws, isDisabled) {
		removedReach = append(removedReach, ws.AccountsOf(m.String("id"))...)
	}
	equalJSON(t, "accounts_reachable_by_removed_members", sortedStrings(out["accounts_reachable_by_removed_members"]), sortedUnique(removedReach))
}

func checkUsersExample(t *testing.T, ws *cerbysim.Workspace, out map[string]any) {
	var emails []string
	for _, m := range filterMembers(ws, isDisabled) {
		emails = append(emails, m.String("email"))
	}
	slices.Sort(emails)
	equalJSON(t, "removed_member_emails", out["removed_member_emails"], emails)
	guests := filterMembers(ws, func(m *cerbysim.Object) bool {
		return m.Bool("isGuest") && (m.String("status") == "live" || m.String("status") == "pending")
	})
	equalJSON(t, "guest_count", out["guest_count"], len(guests))
}

// --- use cases --------------------------------------------------------------

// The demo runs against a generated workspace, as make demo does.
func runDemo(t *testing.T, cli clitest.CLI, dir string) {
	ws := cerbysim.Generate(7, cerbysim.Size{Accounts: 60, Members: 30, AccessPerMember: 8})
	out := apply(t, workdir(t, cli, dir, startSim(t, ws, "")))
	truth := findingsOf(ws)

	perApp := map[string]int{}
	for _, a := range ws.Accounts {
		perApp[cmp.Or(a.String("provider"), "(none)")]++
	}
	equalJSON(t, "accounts_per_application", out["accounts_per_application"], perApp)
	equalJSON(t, "accounts_without_mfa", sortedStrings(out["accounts_without_mfa"]), sorted(truth.withoutMFA))
	equalJSON(t, "disabled_members_with_access", countsOf(out["disabled_members_with_access"]), truth.disabledReach)
	equalJSON(t, "guests_with_access", out["guests_with_access"], truth.guestReach)
	equalJSON(t, "failing_policies", out["failing_policies"], truth.failing())

	report, _ := out["report"].(string)
	for _, line := range []string{
		fmt.Sprintf("Cerby workspace: %d accounts, %d members", len(ws.Accounts), len(listedMembers(ws))),
		fmt.Sprintf("Accounts without MFA: %d", len(truth.withoutMFA)),
		fmt.Sprintf("Disabled members who still reach accounts: %d", len(truth.disabledReach)),
		fmt.Sprintf("Guests with access: %d", len(truth.guestReach)),
		fmt.Sprintf("FAIL  every account has MFA (%d violation(s))", len(truth.withoutMFA)),
		fmt.Sprintf("FAIL  no disabled member retains access (%d violation(s))", len(truth.disabledReach)),
		fmt.Sprintf("FAIL  no guest owns an account (%d violation(s))", len(truth.guestOwned)),
	} {
		if !strings.Contains(report, line) {
			t.Errorf("the report lacks %q:\n%s", line, report)
		}
	}
	if len(truth.withoutMFA) == 0 || len(truth.disabledReach) == 0 || len(truth.guestReach) == 0 || len(truth.guestOwned) == 0 {
		t.Error("the generated workspace should give every part of the report something to show")
	}
}

// runPolicy passes on a clean workspace and fails the plan, with one readable
// error per broken policy, on one that breaks all three.
func runPolicy(t *testing.T, cli clitest.CLI, dir string) {
	t.Run("clean", func(t *testing.T) {
		ws := loadWorkspace(t, filepath.Join(dir, "workspaces", "clean.json"))
		if f := findingsOf(ws).failing(); len(f) != 0 {
			t.Fatalf("clean.json breaks %q", f)
		}
		w := workdir(t, cli, dir, startSim(t, ws, ""))
		r := run(t, w, "apply", "-auto-approve", "-json")
		if r.ExitCode != 0 || r.Err != nil || hasErrors(clitest.Diagnostics(r.Stdout)) {
			t.Fatalf("the policy failed a clean workspace: exit %d %v\n%s%s", r.ExitCode, r.Err, r.Stdout, r.Stderr)
		}
	})
	t.Run("violating", func(t *testing.T) {
		ws := loadWorkspace(t, filepath.Join(dir, "workspaces", "violating.json"))
		truth := findingsOf(ws)
		w := workdir(t, cli, dir, startSim(t, ws, ""))
		r := run(t, w, "plan", "-json")
		if r.ExitCode != 1 {
			t.Fatalf("plan on a violating workspace exited %d, want 1\n%s%s", r.ExitCode, r.Stdout, r.Stderr)
		}
		var details []string
		for _, d := range clitest.Diagnostics(r.Stdout) {
			if d.Severity == "error" {
				if d.Summary != "Resource precondition failed" {
					t.Errorf("unexpected error %q: %s", d.Summary, d.Detail)
				}
				details = append(details, d.Detail)
			}
		}
		violations := map[string][]string{
			"every account has MFA":             truth.withoutMFA,
			"no disabled member retains access": slices.Sorted(maps.Keys(truth.disabledReach)),
			"no guest owns an account":          truth.guestOwned,
		}
		if len(details) != len(violations) {
			t.Fatalf("%d errors, want one per policy (%d): %q", len(details), len(violations), details)
		}
		for policy, items := range violations {
			requireDetail(t, details, fmt.Sprintf("Policy %q has %d violation(s): ", policy, len(items)), items)
		}
	})
}

// requireDetail finds the message that starts with head and checks it names
// every violating item.
func requireDetail(t *testing.T, details []string, head string, items []string) {
	t.Helper()
	i := slices.IndexFunc(details, func(d string) bool { return strings.HasPrefix(d, head) })
	if i < 0 {
		t.Errorf("no error starts with %q: %q", head, details)
		return
	}
	for _, item := range items {
		if !strings.Contains(details[i], item) {
			t.Errorf("%q does not name %q", details[i], item)
		}
	}
}

func hasErrors(diags []clitest.Diagnostic) bool {
	return slices.ContainsFunc(diags, func(d clitest.Diagnostic) bool { return d.Severity == "error" })
}

func runInventory(t *testing.T, cli clitest.CLI, dir string) {
	ws := cerbysim.Generate(11, cerbysim.Size{Accounts: 40, Members: 20, AccessPerMember: 6})
	out := apply(t, workdir(t, cli, dir, startSim(t, ws, "")))

	members := listedMembers(ws)
	var memberIDs []string
	access := map[string][]string{}
	for _, m := range members {
		id := m.String("id")
		memberIDs = append(memberIDs, id)
		access[id] = sortedUnique(ws.AccountsOf(id))
	}
	equalJSON(t, "members ids", sortedField(out["members"], "id"), sorted(memberIDs))
	equalJSON(t, "accounts ids", sortedField(out["accounts"], "id"), sorted(ws.AccountIDs()))
	gotAccess := map[string][]string{}
	for id, ids := range asMap(out["access"]) {
		gotAccess[id] = sortedStrings(ids)
	}
	equalJSON(t, "access", gotAccess, access)
	for _, m := range asList(out["members"]) {
		truth := ws.Member(fmt.Sprint(m["id"]))
		if m["email"] != truth.String("email") || m["is_guest"] != truth.Bool("isGuest") || m["status"] != truth.String("status") {
			t.Errorf("member %v does not match the workspace", m)
		}
	}
}
