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

// api is one of the two APIs every example runs on: the provider's api value
// and the path the simulator serves it under. The provider is pointed at it
// through CERBY_ENDPOINT alone, as the endpoint's path picks the API when api
// is unset (contract/cerby-api.md, §1).
type api struct {
	name string // read_api, cerby_api
	path string // after the simulator's URL
}

var (
	readAPI  = api{"read_api", "/v1"}
	cerbyAPI = api{"cerby_api", cerbysim.CerbyAPIPrefix}
	apis     = []api{readAPI, cerbyAPI}
)

// target is what one run of an example is run with: a CLI and an API.
type target struct {
	cli clitest.CLI
	api api
}

// example runs one configuration folder (relative to examples/) and checks it
// against what the API serves.
type example struct {
	dir string
	run func(t *testing.T, x target, dir string)
	// only, when set, is the one API the example is for, and why: the other
	// API refuses the arguments in refused, which a plan there must name.
	only    *api
	refused []string
	why     string
}

// examples run on both APIs unless the table says otherwise.
var examples = []example{
	{dir: "provider", run: runProviderExample},
	{dir: "data-sources/cerby_account", run: runDataSourceExample(checkAccountExample)},
	{
		dir: "data-sources/cerby_accounts", run: runDataSourceExample(checkAccountsExample),
		only: &readAPI, refused: []string{"search", "type"},
		why: "its second read (legacy_secrets) filters by search and type, which only the Read API has; " +
			"the Cerby API refuses them before any request (contract/cerby-api.md, C5), which the run on it checks",
	},
	{dir: "data-sources/cerby_user_accounts", run: runDataSourceExample(checkUserAccountsExample)},
	{dir: "data-sources/cerby_users", run: runDataSourceExample(checkUsersExample)},
	{dir: "data-sources/cerby_access", run: runDataSourceExample(checkAccessExample)},
	{dir: "demo", run: runDemo},
	{dir: "policy", run: runPolicy},
	{dir: "inventory", run: runInventory},
	{dir: "conftest", run: runConftestExample},
	{dir: "policy-ephemeral", run: runPolicyEphemeral},
	{dir: "ephemeral-resources/cerby_accounts", run: runEphemeralResourceExample(ephemeralAccountsGate)},
	{dir: "ephemeral-resources/cerby_users", run: runEphemeralResourceExample(ephemeralUsersGate)},
	{dir: "ephemeral-resources/cerby_access", run: runEphemeralResourceExample(ephemeralAccessGate)},
	{
		dir: "ephemeral-resources/cerby_vaults", run: runEphemeralResourceExample(ephemeralVaultsGate),
		only: &cerbyAPI, refused: []string{"cerby_vaults"}, why: cerbyAPIOnlyWhy,
	},
	// What only the Cerby API offers (issue 13), against a generated
	// workspace that has teams, vaults and integrations with seats.
	{dir: "data-sources/cerby_teams", run: runGeneratedExample(checkTeamsExample), only: &cerbyAPI, refused: []string{"cerby_teams"}, why: cerbyAPIOnlyWhy},
	{dir: "data-sources/cerby_team", run: runGeneratedExample(checkTeamExample), only: &cerbyAPI, refused: []string{"cerby_team"}, why: cerbyAPIOnlyWhy},
	{dir: "data-sources/cerby_vaults", run: runGeneratedExample(checkVaultsExample), only: &cerbyAPI, refused: []string{"cerby_vaults"}, why: cerbyAPIOnlyWhy},
	{
		dir: "data-sources/cerby_integrations", run: runGeneratedExample(checkIntegrationsExample),
		only: &cerbyAPI, refused: []string{"cerby_integrations"}, why: cerbyAPIOnlyWhy,
	},
	// Its first read is cerby_integrations, which cerby_integration_users
	// waits on: the plan stops at that one error.
	{
		dir: "data-sources/cerby_integration_users", run: runGeneratedExample(checkIntegrationUsersExample),
		only: &cerbyAPI, refused: []string{"cerby_integrations"}, why: cerbyAPIOnlyWhy,
	},
}

// cerbyAPIOnlyWhy is why an example of what only the Cerby API offers runs
// only there.
const cerbyAPIOnlyWhy = "the Read API has no teams, vaults nor integrations; the data source refuses it at plan time, before any request"

func TestAccExamples(t *testing.T) {
	clitest.RequireAcc(t)
	for _, cli := range clitest.CLIs(t) {
		t.Run(cli.Name, func(t *testing.T) {
			for _, ex := range examples {
				t.Run(ex.dir, func(t *testing.T) {
					for _, a := range apis {
						x, dir := target{cli, a}, filepath.Join(examplesDir, ex.dir)
						if ex.only != nil && *ex.only != a {
							t.Run(a.name+"_refuses", func(t *testing.T) { runRefused(t, x, dir, ex) })
							continue
						}
						t.Run(a.name, func(t *testing.T) { ex.run(t, x, dir) })
					}
				})
			}
		})
	}
}

// TestEveryExampleIsRun keeps the list above complete: a new example folder
// must be added to it, so that it runs in CI; one that runs on one API only
// must say why.
func TestEveryExampleIsRun(t *testing.T) {
	var found []string
	for _, pattern := range []string{"*/*.tf", "data-sources/*/*.tf", "ephemeral-resources/*/*.tf"} {
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
		if ex.only != nil && (ex.why == "" || len(ex.refused) == 0) {
			t.Errorf("%s runs on %s only: the table must say why, and which arguments the other API refuses", ex.dir, ex.only.name)
		}
	}
	slices.Sort(listed)
	if !slices.Equal(found, listed) {
		t.Errorf("example folders %q, but the test runs %q", found, listed)
	}
}

// sim is a cerbysim serving one workspace on loopback for one run: its base
// URL, the API the run reads, and truth, the workspace as that API serves it
// (viewOf), which the run's outputs are checked against.
type sim struct {
	*cerbysim.Server
	url   string
	api   api
	truth *cerbysim.Workspace
}

// startSim serves ws for the duration of the test, and fails it if the
// provider sends a request to the other API than the run's.
func startSim(t *testing.T, x target, ws *cerbysim.Workspace, requireWorkspace string) sim {
	t.Helper()
	srv := cerbysim.New(ws, cerbysim.Config{APIKey: apiKey, RequireWorkspace: requireWorkspace})
	if err := srv.Err(); err != nil {
		t.Fatal(err)
	}
	url, err := srv.Start("")
	if err != nil {
		t.Fatal(err)
	}
	s := sim{srv, url, x.api, viewOf(x.api, ws)}
	t.Cleanup(func() { s.Close() })
	t.Cleanup(func() { s.checkAPI(t) }) // before Close: cleanups run last first
	return s
}

// checkAPI fails the test on any request outside the run's API: the
// endpoint's path alone must have picked it.
func (s sim) checkAPI(t *testing.T) {
	t.Helper()
	for _, r := range s.Counters().Requests {
		if !strings.HasPrefix(r.Path, s.api.path+"/") {
			t.Errorf("the run on %s sent %s %s, outside %s", s.api.name, r.Method, r.Path, s.api.path)
		}
	}
}

// workdir copies the example and points the provider at s's API through the
// environment, as a user would point it at a real workspace. The use cases
// that judge what only the Cerby API offers (policy, demo, inventory,
// conftest, policy-ephemeral) learn the API from their variable "api": the
// runs on the Read API set it as their README says, those on the Cerby API
// leave it unset, its default. The other examples declare no such variable,
// and the CLIs ignore a TF_VAR_ of an undeclared one.
func workdir(t *testing.T, cli clitest.CLI, dir string, s sim) *clitest.Workdir {
	t.Helper()
	w := clitest.NewWorkdir(t, cli, dir)
	w.Env["CERBY_ENDPOINT"] = s.url + s.api.path
	w.Env["CERBY_API_KEY"] = apiKey
	if s.api == readAPI {
		w.Env["TF_VAR_api"] = readAPI.name
	}
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

// readAPILine is the commented line of examples/provider/provider.tf that
// picks the Read API; the runs on the Read API uncomment it, so the
// alternative the docs show is run too.
const readAPILine = `# api = "read_api"`

// providerConfig is examples/provider/provider.tf as a run on a uses it: as
// written (the Cerby API) or with the Read API line uncommented.
func providerConfig(t *testing.T, a api) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(examplesDir, "provider", "provider.tf"))
	if err != nil {
		t.Fatal(err)
	}
	config := string(data)
	if n := strings.Count(config, readAPILine); n != 1 {
		t.Fatalf("examples/provider/provider.tf holds %q %d times, want once", readAPILine, n)
	}
	if a == readAPI {
		config = strings.Replace(config, readAPILine, strings.TrimPrefix(readAPILine, "# "), 1)
	}
	return config
}

// The Read API's runs require the Cerby-Workspace header of the example's
// workspace; the Cerby API's, whose host names the workspace, cannot (the
// endpoint wins over workspace there).
func runProviderExample(t *testing.T, x target, dir string) {
	ws := loadWorkspace(t, "testdata/docs-workspace.json")
	s := startSim(t, x, ws, providerWorkspace)
	w := workdir(t, x.cli, dir, s)
	w.WriteFile(t, "provider.tf", providerConfig(t, x.api))
	// The example configures the provider only; a read makes it connect.
	w.WriteFile(t, "probe.tf", "data \"cerby_accounts\" \"probe\" {\n  max_items = 1\n}\n"+
		"output \"probe\" {\n  value = data.cerby_accounts.probe.truncated\n}\n")
	out := apply(t, w)
	equalJSON(t, "probe", out["probe"], len(s.truth.Accounts) > 1)
	if n := s.Counters().ByStatus[200]; n == 0 {
		t.Errorf("cerbysim served no successful request: %v", s.Counters().ByStatus)
	}
}

// runDataSourceExample runs a data-source example beside the provider example,
// as the docs present them, against the docs workspace.
func runDataSourceExample(check func(t *testing.T, truth *cerbysim.Workspace, out map[string]any)) func(*testing.T, target, string) {
	return func(t *testing.T, x target, dir string) {
		s := startSim(t, x, loadWorkspace(t, "testdata/docs-workspace.json"), "")
		w := workdir(t, x.cli, dir, s)
		w.WriteFile(t, "provider.tf", providerConfig(t, x.api))
		check(t, s.truth, apply(t, w))
	}
}

// runRefused plans an example on the API it is not for: the plan must fail
// with one error per argument that API refuses, each naming it, and nothing
// else.
func runRefused(t *testing.T, x target, dir string, ex example) {
	t.Logf("%s runs on %s only: %s", ex.dir, ex.only.name, ex.why)
	if strings.HasPrefix(ex.dir, "ephemeral-resources/") {
		clitest.SkipUnless(t, x.cli, clitest.EphemeralResources)
	}
	s := startSim(t, x, loadWorkspace(t, "testdata/docs-workspace.json"), "")
	w := workdir(t, x.cli, dir, s)
	w.WriteFile(t, "provider.tf", providerConfig(t, x.api))
	r := run(t, w, "plan", "-json")
	if r.ExitCode != 1 {
		t.Fatalf("plan on the %s exited %d, want 1 (%s)\n%s%s", x.api.name, r.ExitCode, ex.why, r.Stdout, r.Stderr)
	}
	var errs []clitest.Diagnostic
	for _, d := range clitest.Diagnostics(r.Stdout) {
		if d.Severity == "error" {
			errs = append(errs, d)
		}
	}
	if len(errs) != len(ex.refused) {
		t.Errorf("%d errors, want one for each of %q: %+v", len(errs), ex.refused, errs)
	}
	for _, arg := range ex.refused {
		if !slices.ContainsFunc(errs, func(d clitest.Diagnostic) bool { return strings.Contains(d.Detail, "`"+arg+"`") }) {
			t.Errorf("no error names `%s`: %+v", arg, errs)
		}
	}
}

func checkAccountExample(t *testing.T, truth *cerbysim.Workspace, out map[string]any) {
	a := findAccount(t, truth, "Brand Instagram")
	equalJSON(t, "brand_instagram_security", out["brand_instagram_security"], map[string]any{
		"mfa_enabled":       value(a, "mfaEnabled"),
		"mfa_types":         value(a, "mfaTypes"),
		"password_rotation": value(a, "workspacePolicyResult", "password_rotation"),
		"last_rotated_at":   value(a, "rotatedAt"),
	})
}

func checkAccountsExample(t *testing.T, truth *cerbysim.Workspace, out map[string]any) {
	social := filterAccounts(truth, func(a *cerbysim.Object) bool {
		app := a.String("provider")
		return (app == "instagram" || app == "tiktok") && !a.Bool("mfaEnabled")
	})
	equalJSON(t, "social_accounts_without_mfa", out["social_accounts_without_mfa"], appAndNames(social))
	legacy := filterAccounts(truth, func(a *cerbysim.Object) bool {
		return strings.Contains(strings.ToLower(a.String("name")), "legacy") &&
			a.String("type") == "secret" && a.String("status") == "disabled"
	})
	equalJSON(t, "legacy_secret_ids", out["legacy_secret_ids"], ids(legacy))
	if len(social) == 0 || len(legacy) == 0 {
		t.Error("the docs workspace should give both outputs something to list")
	}
}

func checkUserAccountsExample(t *testing.T, truth *cerbysim.Workspace, out map[string]any) {
	alex := findMember(t, truth, "alex.rivera@example.com")
	equalJSON(t, "accounts_alex_reaches", out["accounts_alex_reaches"], names(reachable(truth, alex.String("id"))))
	var removedReach []string
	for _, m := range filterMembers(truth, isDisabled) {
		removedReach = append(removedReach, truth.AccountsOf(m.String("id"))...)
	}
	equalJSON(t, "accounts_reachable_by_removed_members", sortedStrings(out["accounts_reachable_by_removed_members"]), sortedUnique(removedReach))
}

func checkUsersExample(t *testing.T, truth *cerbysim.Workspace, out map[string]any) {
	var emails []string
	for _, m := range filterMembers(truth, isDisabled) {
		emails = append(emails, m.String("email"))
	}
	slices.Sort(emails)
	equalJSON(t, "removed_member_emails", out["removed_member_emails"], emails)
	guests := filterMembers(truth, func(m *cerbysim.Object) bool {
		return m.Bool("isGuest") && (m.String("status") == "live" || m.String("status") == "pending")
	})
	equalJSON(t, "guest_count", out["guest_count"], len(guests))
}

// checkAccessExample: every live member's grants, in member id then account
// id order, joined to the member's email and the account's name.
func checkAccessExample(t *testing.T, truth *cerbysim.Workspace, out map[string]any) {
	live := filterMembers(truth, func(m *cerbysim.Object) bool { return m.String("status") == "live" })
	slices.SortFunc(live, func(a, b *cerbysim.Object) int { return strings.Compare(a.String("id"), b.String("id")) })
	rows := []map[string]any{}
	perMember := map[string]int{}
	for _, m := range live {
		id := m.String("id")
		reach := sortedUnique(truth.AccountsOf(id))
		perMember[cmp.Or(m.String("email"), id)] = len(reach)
		for _, accountID := range reach {
			a := truth.Account(accountID)
			rows = append(rows, map[string]any{
				"member": cmp.Or(m.String("email"), id), "account": cmp.Or(a.String("name"), accountID), "role": value(a, "role"),
			})
		}
	}
	equalJSON(t, "who_reaches_what", out["who_reaches_what"], rows)
	equalJSON(t, "accounts_per_member", out["accounts_per_member"], perMember)
	if len(rows) == 0 || len(perMember) < 2 {
		t.Error("the docs workspace should give the example members and grants to list")
	}
}

// --- use cases --------------------------------------------------------------

// The demo runs against a generated workspace, as make demo does.
func runDemo(t *testing.T, x target, dir string) {
	s := startSim(t, x, cerbysim.Generate(7, cerbysim.Size{Accounts: 60, Members: 30, AccessPerMember: 8}), "")
	out := apply(t, workdir(t, x.cli, dir, s))
	truth := findingsOf(x.api, s.truth)

	perApp := map[string]int{}
	for _, a := range s.truth.Accounts {
		perApp[cmp.Or(a.String("provider"), "(none)")]++
	}
	equalJSON(t, "accounts_per_application", out["accounts_per_application"], perApp)
	equalJSON(t, "accounts_without_mfa", sortedStrings(out["accounts_without_mfa"]), sorted(truth.withoutMFA))
	equalJSON(t, "disabled_members_with_access", countsOf(out["disabled_members_with_access"]), truth.disabledReach)
	equalJSON(t, "guests_with_access", out["guests_with_access"], truth.guestReach)
	equalJSON(t, "failing_policies", out["failing_policies"], truth.failing())

	report, _ := out["report"].(string)
	for _, line := range []string{
		fmt.Sprintf("Cerby workspace: %d accounts, %d members", len(s.truth.Accounts), len(listedMembers(s.truth))),
		fmt.Sprintf("Accounts without MFA: %d", len(truth.withoutMFA)),
		fmt.Sprintf("Disabled members who still reach accounts: %d", len(truth.disabledReach)),
		fmt.Sprintf("Guests with access: %d", len(truth.guestReach)),
		fmt.Sprintf("FAIL  every account has MFA (%d violation(s))", len(truth.withoutMFA)),
		fmt.Sprintf("FAIL  no disabled member retains access (%d violation(s))", len(truth.disabledReach)),
		fmt.Sprintf("FAIL  no guest owns an account (%d violation(s))", len(truth.guestOwned)),
		cerbyAPIPolicyLine(x.api, policyMemberMFA, len(truth.membersWithoutMFA)),
		cerbyAPIPolicyLine(x.api, policyVaultKey, len(truth.vaultsWithoutKey)),
		cerbyAPIOnlyLines(x.api, fmt.Sprintf("Live members without MFA enrolled: %d", len(truth.membersWithoutMFA))),
		cerbyAPIOnlyLines(x.api, fmt.Sprintf("Vaults without a customer-managed key: %d of %d", len(truth.vaultsWithoutKey), len(s.truth.Vaults))),
	} {
		if !strings.Contains(report, line) {
			t.Errorf("the report lacks %q:\n%s", line, report)
		}
	}
	if len(truth.withoutMFA) == 0 || len(truth.disabledReach) == 0 || len(truth.guestReach) == 0 || len(truth.guestOwned) == 0 ||
		(x.api == cerbyAPI && (len(truth.membersWithoutMFA) == 0 || len(truth.vaultsWithoutKey) == 0)) {
		t.Error("the generated workspace should give every part of the report something to show")
	}
}

// cerbyAPIOnlyLines is a line of the report's Cerby API part there, and on
// the Read API the line that stands for that part.
func cerbyAPIOnlyLines(a api, line string) string {
	if a == readAPI {
		return "Members' MFA enrollment and vaults: not read (the Read API has neither)"
	}
	return line
}

// cerbyAPIPolicyLine is the report's line for a policy only the Cerby API
// can judge: failing there (the generated workspace breaks both), skipped on
// the Read API.
func cerbyAPIPolicyLine(a api, policy string, violations int) string {
	if a == readAPI {
		return fmt.Sprintf("skip  %s (needs the Cerby API)", policy)
	}
	return fmt.Sprintf("FAIL  %s (%d violation(s))", policy, violations)
}

// runPolicy passes on a clean workspace and fails the plan, with one readable
// error per broken policy, on one that breaks all five (on the Read API, the
// three it can judge: the other two are skipped, and the outputs say so).
func runPolicy(t *testing.T, x target, dir string) {
	t.Run("clean", func(t *testing.T) {
		s := startSim(t, x, loadWorkspace(t, filepath.Join(dir, "workspaces", "clean.json")), "")
		truth := findingsOf(x.api, s.truth)
		if f := truth.failing(); len(f) != 0 {
			t.Fatalf("clean.json breaks %q on the %s", f, x.api.name)
		}
		w := workdir(t, x.cli, dir, s)
		r := run(t, w, "apply", "-auto-approve", "-json")
		if r.ExitCode != 0 || r.Err != nil || hasErrors(clitest.Diagnostics(r.Stdout)) {
			t.Fatalf("the policy failed a clean workspace: exit %d %v\n%s%s", r.ExitCode, r.Err, r.Stdout, r.Stderr)
		}
		// The provider's warnings (include_mfa_status on the Read API, say):
		// the example asks only what the API in use can answer.
		for _, d := range clitest.Diagnostics(r.Stdout) {
			if d.Severity == "warning" && d.Summary != "Provider development overrides are in effect" {
				t.Errorf("unexpected warning %q: %s", d.Summary, d.Detail)
			}
		}
		out := w.Outputs(t)
		equalJSON(t, "policies_checked", out["policies_checked"], truth.checked())
		equalJSON(t, "policies_skipped", out["policies_skipped"], policiesSkipped(x.api))
	})
	t.Run("violating", func(t *testing.T) {
		s := startSim(t, x, loadWorkspace(t, filepath.Join(dir, "workspaces", "violating.json")), "")
		truth := findingsOf(x.api, s.truth)
		w := workdir(t, x.cli, dir, s)
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
				t.Logf("policy: %s", d.Detail)
				details = append(details, d.Detail)
			}
		}
		violations := map[string][]string{
			"every account has MFA":             truth.withoutMFA,
			"no disabled member retains access": slices.Sorted(maps.Keys(truth.disabledReach)),
			"no guest owns an account":          truth.guestOwned,
		}
		if x.api == cerbyAPI {
			violations[policyMemberMFA] = truth.membersWithoutMFA
			violations[policyVaultKey] = truth.vaultsWithoutKey
		}
		for policy, items := range violations {
			if len(items) == 0 {
				t.Errorf("violating.json should break %q on the %s", policy, x.api.name)
			}
		}
		if len(details) != len(violations) {
			t.Fatalf("%d errors, want one per policy (%d): %q", len(details), len(violations), details)
		}
		for policy, items := range violations {
			requireDetail(t, details, fmt.Sprintf("Policy %q has %d violation(s): ", policy, len(items)), items)
		}
	})
}

// policiesSkipped is examples/policy's output policies_skipped: on the Read
// API, the two policies it cannot judge, with the reason.
func policiesSkipped(a api) map[string]string {
	if a == cerbyAPI {
		return map[string]string{}
	}
	const why = `needs the Cerby API (members' MFA status and vaults); the provider reads the Read API (var.api = "read_api")`
	return map[string]string{policyMemberMFA: why, policyVaultKey: why}
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

// runInventory checks every member and account row attribute by attribute:
// on the Cerby API, those it does not serve (an account's type, say) must be
// null. On the Cerby API it checks the teams (with their member and account
// ids) and the integrations' seats too; on the Read API, which has neither,
// those outputs must be empty.
func runInventory(t *testing.T, x target, dir string) {
	s := startSim(t, x, cerbysim.Generate(11, cerbysim.Size{Accounts: 40, Members: 20, AccessPerMember: 6}), "")
	out := apply(t, workdir(t, x.cli, dir, s))

	members := listedMembers(s.truth)
	var memberIDs []string
	access := map[string][]string{}
	for _, m := range members {
		id := m.String("id")
		memberIDs = append(memberIDs, id)
		access[id] = sortedUnique(s.truth.AccountsOf(id))
	}
	equalJSON(t, "members ids", sortedField(out["members"], "id"), sorted(memberIDs))
	equalJSON(t, "accounts ids", sortedField(out["accounts"], "id"), sorted(s.truth.AccountIDs()))
	// cerby_access orders each member's accounts by id, and lists every
	// member, those who reach nothing too.
	gotAccess := map[string][]string{}
	for id, ids := range asMap(out["access"]) {
		gotAccess[id] = asStrings(ids)
	}
	equalJSON(t, "access", gotAccess, access)
	checkAccessRequests(t, s, memberIDs)
	for _, m := range asList(out["members"]) {
		truth := s.truth.Member(fmt.Sprint(m["id"]))
		equalJSON(t, fmt.Sprintf("members[id=%v]", m["id"]), m, map[string]any{
			"id": m["id"], "email": value(truth, "email"), "first_name": value(truth, "firstName"), "last_name": value(truth, "lastName"),
			"status": value(truth, "status"), "role": value(truth, "role"), "is_guest": value(truth, "isGuest"),
		})
	}
	for _, a := range asList(out["accounts"]) {
		truth := s.truth.Account(fmt.Sprint(a["id"]))
		equalJSON(t, fmt.Sprintf("accounts[id=%v]", a["id"]), a, map[string]any{
			"id": a["id"], "name": value(truth, "name"), "application": value(truth, "provider"), "type": value(truth, "type"),
			"status": value(truth, "status"), "mfa_enabled": value(truth, "mfaEnabled"), "created_by": creator(truth),
		})
	}
	equalJSON(t, "teams", out["teams"], teamRows(s.truth))
	equalJSON(t, "integrations", out["integrations"], integrationRows(s.truth))
	if x.api == cerbyAPI && (len(s.truth.Teams) == 0 || len(s.truth.Integrations) == 0) {
		t.Error("the generated workspace should give the inventory teams and integrations to list")
	}
}

// teamRows is the inventory's teams output for a view: the teams by name
// (case-insensitive), then id, each with its member and account ids in id
// order.
func teamRows(ws *cerbysim.Workspace) []map[string]any {
	teams := slices.Clone(ws.Teams)
	slices.SortStableFunc(teams, func(a, b cerbysim.Team) int {
		return byFoldedThenID(served(a.CerbyResource), "name", a.ID, served(b.CerbyResource), b.ID)
	})
	rows := []map[string]any{}
	for _, team := range teams {
		attrs := served(team.CerbyResource)
		memberIDs := []string{}
		for _, m := range team.Members {
			memberIDs = append(memberIDs, m.ID)
		}
		rows = append(rows, map[string]any{
			"id": team.ID, "name": value(&attrs, "name"), "type": value(&attrs, "type"), "vault_id": value(&attrs, "vaultId"),
			"member_ids": sortedUnique(memberIDs), "account_ids": append([]string{}, sortedUnique(team.Accounts)...),
		})
	}
	return rows
}

// integrationRows is the inventory's integrations output for a view: by
// label (case-insensitive), then id, each with its seats by email
// (case-insensitive), then id, and their entitlements in every shape the
// API sends them read as {key, label, group, value}.
func integrationRows(ws *cerbysim.Workspace) []map[string]any {
	integrations := slices.Clone(ws.Integrations)
	slices.SortStableFunc(integrations, func(a, b cerbysim.Integration) int {
		return byFoldedThenID(served(a.CerbyResource), "label", a.ID, served(b.CerbyResource), b.ID)
	})
	rows := []map[string]any{}
	for _, n := range integrations {
		attrs := served(n.CerbyResource)
		seats := slices.Clone(n.Users)
		slices.SortStableFunc(seats, func(a, b cerbysim.IntegrationUser) int {
			return byFoldedThenID(served(a.CerbyResource), "email", a.ID, served(b.CerbyResource), b.ID)
		})
		seatRows := []map[string]any{}
		for _, u := range seats {
			seat := served(u.CerbyResource)
			seatRows = append(seatRows, map[string]any{
				"id": u.ID, "email": value(&seat, "email"), "first_name": value(&seat, "firstName"), "last_name": value(&seat, "lastName"),
				"status": value(&seat, "status"), "role": value(&seat, "role"), "is_guest": value(&seat, "isGuest"),
				"entitlements": entitlementsOf(&seat),
			})
		}
		rows = append(rows, map[string]any{
			"id": n.ID, "label": value(&attrs, "label"), "application": value(&attrs, "application"), "seats": seatRows,
		})
	}
	return rows
}

// entitlementsOf reads a seat's entitlements as the provider does (decision
// C24 of the spec): a JSON:API resource's attributes, a flat object, or a
// bare key; a value that is not a string is kept as its JSON text. Null
// when the seat has none.
func entitlementsOf(seat *cerbysim.Object) any {
	raw, ok := seat.Get("entitlements")
	var items []json.RawMessage
	if !ok || json.Unmarshal(raw, &items) != nil || items == nil {
		return nil
	}
	out := []map[string]any{}
	for _, item := range items {
		var key string
		if json.Unmarshal(item, &key) == nil {
			out = append(out, map[string]any{"key": key, "label": nil, "group": nil, "value": nil})
			continue
		}
		var o cerbysim.Object
		_ = json.Unmarshal(item, &o)
		if a, ok := o.Get("attributes"); ok {
			o = cerbysim.Object{}
			_ = json.Unmarshal(a, &o)
		}
		row := map[string]any{"key": value(&o, "key"), "label": value(&o, "label"), "group": value(&o, "group"), "value": nil}
		if v, ok := o.Get("value"); ok && string(v) != "null" {
			var text string
			if json.Unmarshal(v, &text) != nil {
				text = string(v)
			}
			row["value"] = text
		}
		out = append(out, row)
	}
	return out
}

// byFoldedThenID orders two resources by an attribute, case-insensitive,
// then by id: the provider's order.
func byFoldedThenID(a cerbysim.Object, key, aID string, b cerbysim.Object, bID string) int {
	return cmp.Or(strings.Compare(strings.ToLower(a.String(key)), strings.ToLower(b.String(key))), strings.Compare(aID, bID))
}

// checkAccessRequests: the inventory's cerby_access read the members once
// (beside cerby_users, each on one page) and each member's accounts once
// per read, nothing repeated; on the Cerby API, never GET /users/{id}, which
// it asks only after a member's accounts answer 404.
func checkAccessRequests(t *testing.T, s sim, memberIDs []string) {
	t.Helper()
	c := s.Counters()
	users, memberAccounts := cerbysim.EndpointMembers, cerbysim.EndpointMemberAccounts
	if s.api == cerbyAPI {
		users, memberAccounts = cerbysim.EndpointCerbyUsers, cerbysim.EndpointCerbyUserAccounts
	}
	reads := c.ByEndpoint[users] / 2
	if reads == 0 || c.ByEndpoint[users] != 2*reads {
		t.Fatalf("%d requests to %s; want one for cerby_users and one for cerby_access per plan", c.ByEndpoint[users], users)
	}
	perPath := map[string]int{}
	for _, r := range c.Requests {
		if r.Endpoint == memberAccounts {
			perPath[r.Path]++
		}
	}
	for _, id := range memberIDs {
		if path := s.api.path + "/users/" + id + "/accounts"; perPath[path] != reads {
			t.Errorf("%s requested %d times in %d reads; want once a read", path, perPath[path], reads)
		}
	}
	if len(perPath) != len(memberIDs) {
		t.Errorf("the accounts of %d members were read, want the %d listed", len(perPath), len(memberIDs))
	}
	if n := c.ByEndpoint[cerbysim.EndpointCerbyUser]; n != 0 {
		t.Errorf("%d requests to %s; cerby_access asks it only after a 404", n, cerbysim.EndpointCerbyUser)
	}
}
