package examplestest

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/cerby-community/terraform-provider-cerby/internal/cerbysim"
	"github.com/cerby-community/terraform-provider-cerby/internal/clitest"
)

// The ephemeral examples: examples/policy-ephemeral and the docs examples of
// examples/ephemeral-resources. Each runs on the CLIs that have ephemeral
// resources (terraform 1.10, tofu 1.11) and is skipped as a version gate on
// the others.

// ephemeralPolicyBreaks is what examples/policy-ephemeral's messages say
// breaks each policy (its local.policy_breaks): the messages are static,
// since neither CLI shows one that refers to an ephemeral value.
var ephemeralPolicyBreaks = map[string]string{
	"every account has MFA":             "at least one account has MFA turned off",
	"no disabled member retains access": "at least one removed (disabled) member still reaches an account",
	"no guest owns an account":          "at least one account was created by a guest",
	policyMemberMFA:                     "at least one live member has not enrolled MFA",
	policyVaultKey:                      "at least one vault is not encrypted with a customer-managed key (kms_byo or akv)",
}

func ephemeralPolicyMessage(policy string) string {
	return fmt.Sprintf("Policy %q is broken: %s. This gate reads Cerby ephemerally, so it cannot say which: "+
		"run examples/policy, whose reads are kept in state, to list them.", policy, ephemeralPolicyBreaks[policy])
}

// runPolicyEphemeral gates examples/policy-ephemeral on the workspaces of
// examples/policy, as runPolicy gates examples/policy: it passes on the clean
// one and fails the plan, with one readable error per broken policy, on the
// violating one. On the clean one it then proves that nothing of the
// workspace was stored: after `plan -out` and `apply` of the saved plan, no
// id, name or email of the workspace is in the state, the saved plan (`show
// -json` and every entry of the file), the outputs, what the CLI printed, or
// any other file of the run.
func runPolicyEphemeral(t *testing.T, x target, dir string) {
	clitest.SkipUnless(t, x.cli, clitest.EphemeralResources)
	workspaces := filepath.Join(examplesDir, "policy", "workspaces")
	t.Run("clean", func(t *testing.T) {
		ws := loadWorkspace(t, filepath.Join(workspaces, "clean.json"))
		s := startSim(t, x, ws, "")
		truth := findingsOf(x.api, s.truth)
		if f := truth.failing(); len(f) != 0 {
			t.Fatalf("clean.json breaks %q on the %s", f, x.api.name)
		}
		w := workdir(t, x.cli, dir, s)
		terms := workspaceTerms(ws)
		var printed []string
		plan := mustRun(t, w, "plan", "-out=tfplan", "-no-color")
		requireEphemeralReads(t, s, "the plan")
		shown := mustRun(t, w, "show", "-json", "tfplan")
		if !strings.Contains(shown.Stdout, `"terraform_data"`) {
			t.Errorf("show -json of the plan lacks the gate:\n%s", shown.Stdout)
		}
		before := s.Counters().ByStatus[200]
		applied := mustRun(t, w, "apply", "-no-color", "tfplan")
		if s.Counters().ByStatus[200] == before {
			t.Error("apply did not open the ephemeral resources again: the preconditions were not judged on fresh reads")
		}
		out := w.Outputs(t)
		equalJSON(t, "policies_checked", out["policies_checked"], truth.checked())
		equalJSON(t, "policies_skipped", out["policies_skipped"], policiesSkipped(x.api))
		state := mustRun(t, w, "show", "-json")
		outputs := mustRun(t, w, "output", "-json")
		for _, r := range []clitest.Result{plan, shown, applied, state, outputs} {
			printed = append(printed, r.Stdout, r.Stderr)
		}
		if _, err := os.Stat(filepath.Join(w.Dir, "terraform.tfstate")); err != nil {
			t.Fatalf("no state file after apply: %v", err)
		}
		requireNoTerms(t, terms, printed, filepath.Dir(w.Dir))
	})
	t.Run("violating", func(t *testing.T) {
		ws := loadWorkspace(t, filepath.Join(workspaces, "violating.json"))
		s := startSim(t, x, ws, "")
		truth := findingsOf(x.api, s.truth)
		failing := truth.failing()
		w := workdir(t, x.cli, dir, s)
		r := run(t, w, "plan", "-json")
		if r.ExitCode != 1 {
			t.Fatalf("plan on a violating workspace exited %d, want 1\n%s%s", r.ExitCode, r.Stdout, r.Stderr)
		}
		var details []string
		for _, d := range clitest.Diagnostics(r.Stdout) {
			switch {
			case d.Severity == "error" && d.Summary == "Resource precondition failed":
				details = append(details, d.Detail)
			case d.Severity == "error" || strings.Contains(d.Summary, "ephemeral"):
				t.Errorf("unexpected %s %q: %s", d.Severity, d.Summary, d.Detail)
			}
		}
		var want []string
		for _, policy := range failing {
			want = append(want, ephemeralPolicyMessage(policy))
		}
		slices.Sort(want)
		slices.Sort(details)
		if !slices.Equal(failing, truth.checked()) || !slices.Equal(details, want) {
			t.Errorf("errors\n%q\nwant one per broken policy (%q)\n%q", details, failing, want)
		}
		// Even the failing plan prints nothing of the workspace.
		requireNoTerms(t, workspaceTerms(ws), []string{r.Stdout, r.Stderr}, filepath.Dir(w.Dir))
	})
}

// requireEphemeralReads checks the run read the workspace: both listings and
// the removed member's accounts.
func requireEphemeralReads(t *testing.T, s sim, when string) {
	t.Helper()
	var accounts, users, access bool
	for _, r := range s.Counters().Requests {
		switch path := strings.TrimPrefix(r.Path, s.api.path); {
		case path == "/accounts":
			accounts = true
		case path == "/users" || path == "/admin/users":
			users = true
		case strings.HasPrefix(path, "/users/") && strings.HasSuffix(path, "/accounts"):
			access = true
		}
	}
	if !accounts || !users || !access {
		t.Errorf("%s read accounts %v, members %v, a member's accounts %v: the gate judged nothing", when, accounts, users, access)
	}
}

// workspaceTerms are the ids, names and emails of ws's accounts and members,
// and the ids and names of its vaults: what must never be stored.
func workspaceTerms(ws *cerbysim.Workspace) []string {
	var terms []string
	add := func(o *cerbysim.Object, keys ...string) {
		for _, k := range keys {
			if v := o.String(k); len(v) >= 3 {
				terms = append(terms, v)
			}
		}
	}
	for i := range ws.Accounts {
		a := &ws.Accounts[i]
		add(a, "id", "name", "username", "email", "phone", "createdByEmail")
		if id := creatorID(a); id != "" {
			terms = append(terms, id)
		}
		if email, ok := value(a, "createdBy", "email").(string); ok {
			terms = append(terms, email)
		}
	}
	for i := range ws.Members {
		add(&ws.Members[i], "id", "email", "firstName", "lastName")
	}
	for i := range ws.Vaults {
		terms = append(terms, ws.Vaults[i].ID)
		add(&ws.Vaults[i].Attributes, "name")
	}
	return sortedUnique(terms)
}

// termPattern finds a term as a whole word, so that a first name such as
// "Sam" is not found inside "Same".
func termPattern(term string) *regexp.Regexp {
	return regexp.MustCompile(`(^|[^\pL\pN])` + regexp.QuoteMeta(term) + `($|[^\pL\pN])`)
}

// requireNoTerms fails the test for every term found in printed (what the
// CLI printed) or in any file under root, the zip entries of a saved plan
// decompressed and searched too.
func requireNoTerms(t *testing.T, terms, printed []string, root string) {
	t.Helper()
	blobs := map[string][]byte{}
	for i, p := range printed {
		blobs[fmt.Sprintf("CLI output %d", i)] = []byte(p)
	}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Type()&fs.ModeSymlink != 0 {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		blobs[path] = data
		entries, err := zipEntries(data)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		for name, entry := range entries {
			blobs[path+"!"+name] = entry
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var plans int
	for name := range blobs {
		if strings.Contains(name, "tfplan!") {
			plans++
		}
	}
	for _, term := range terms {
		pattern := termPattern(term)
		for name, data := range blobs {
			if pattern.Match(data) {
				t.Errorf("%q of the workspace is in %s", term, name)
			}
		}
	}
	t.Logf("searched %d terms in %d outputs and files (%d plan file entries)", len(terms), len(blobs), plans)
}

// zipEntries decompresses data's entries when it is a zip file (a saved
// plan), nil otherwise.
func zipEntries(data []byte) (map[string][]byte, error) {
	if !bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return nil, nil
	}
	archive, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	entries := map[string][]byte{}
	for _, f := range archive.File {
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		entry, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, err
		}
		entries[f.Name] = entry
	}
	return entries, nil
}

// The search must find what a data-source gate stores, or its silence
// proves nothing: examples/policy's state holds the clean workspace's
// emails, and show -json of its plan its account names.
func TestAccEphemeralSearchFindsWhatDataSourcesStore(t *testing.T) {
	clitest.RequireAcc(t)
	for _, cli := range clitest.CLIs(t) {
		t.Run(cli.Name, func(t *testing.T) {
			x := target{cli, readAPI}
			ws := loadWorkspace(t, filepath.Join(examplesDir, "policy", "workspaces", "clean.json"))
			s := startSim(t, x, ws, "")
			w := workdir(t, cli, filepath.Join(examplesDir, "policy"), s)
			mustRun(t, w, "plan", "-out=tfplan", "-no-color")
			mustRun(t, w, "apply", "-no-color", "tfplan")
			found := map[string]bool{}
			err := filepath.WalkDir(w.Dir, func(path string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				data, err := os.ReadFile(path)
				if err != nil {
					return err
				}
				entries, err := zipEntries(data)
				for _, term := range workspaceTerms(ws) {
					if termPattern(term).Match(data) {
						found[term] = true
					}
					for _, entry := range entries {
						if termPattern(term).Match(entry) {
							found[term+" (plan file)"] = true
						}
					}
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{"olivia.owner@example.com", "Brand TikTok", "Brand TikTok (plan file)", "gina.guest@agency.example.org (plan file)"} {
				if !found[want] {
					t.Errorf("the search does not find %q in what examples/policy stores (found %v)", want, found)
				}
			}
		})
	}
}

// runEphemeralResourceExample runs a docs example of an ephemeral resource
// beside the provider example against the docs workspace: its gate passes or
// fails as want says from the workspace (the error it must give, "" to
// pass), and nothing of the workspace is stored or printed.
func runEphemeralResourceExample(want func(truth *cerbysim.Workspace) string) func(*testing.T, target, string) {
	return func(t *testing.T, x target, dir string) {
		clitest.SkipUnless(t, x.cli, clitest.EphemeralResources)
		ws := loadWorkspace(t, "testdata/docs-workspace.json")
		s := startSim(t, x, ws, "")
		w := workdir(t, x.cli, dir, s)
		w.WriteFile(t, "provider.tf", providerConfig(t, x.api))
		wantError := want(s.truth)
		r := run(t, w, "apply", "-auto-approve", "-json")
		var errs []string
		for _, d := range clitest.Diagnostics(r.Stdout) {
			if d.Severity == "error" {
				errs = append(errs, d.Summary+": "+d.Detail)
			}
		}
		switch {
		case wantError == "" && (r.ExitCode != 0 || len(errs) > 0):
			t.Errorf("the gate failed the docs workspace: exit %d, %q\n%s", r.ExitCode, errs, r.Stderr)
		case wantError != "" && (r.ExitCode != 1 || !slices.Equal(errs, []string{"Resource precondition failed: " + wantError})):
			t.Errorf("exit %d, errors %q; want 1 and only %q\n%s", r.ExitCode, errs, wantError, r.Stderr)
		}
		if s.Counters().ByStatus[200] == 0 {
			t.Error("the example read nothing")
		}
		requireNoTerms(t, workspaceTerms(ws), []string{r.Stdout, r.Stderr}, filepath.Dir(w.Dir))
	}
}

// What the docs examples' gates find in a workspace: the message of the
// precondition that fails, "" when it passes.

func ephemeralAccountsGate(truth *cerbysim.Workspace) string {
	if len(filterAccounts(truth, func(a *cerbysim.Object) bool { return a.String("status") == "enabled" && !a.Bool("mfaEnabled") })) > 0 {
		return "An enabled account has MFA turned off: list them with the cerby_accounts data source."
	}
	return ""
}

func ephemeralUsersGate(truth *cerbysim.Workspace) string {
	guests := filterMembers(truth, func(m *cerbysim.Object) bool {
		return m.Bool("isGuest") && (m.String("status") == "live" || m.String("status") == "pending")
	})
	if len(guests) > 5 {
		return "The workspace has more than five active or invited guests."
	}
	return ""
}

func ephemeralVaultsGate(truth *cerbysim.Workspace) string {
	for _, v := range truth.Vaults {
		if scheme := v.Attributes.String("scheme"); scheme != "kms_byo" && scheme != "akv" {
			return "A vault is not encrypted with a customer-managed key (kms_byo or akv)."
		}
	}
	return ""
}

func ephemeralAccessGate(truth *cerbysim.Workspace) string {
	for _, m := range filterMembers(truth, isDisabled) {
		if len(truth.AccountsOf(m.String("id"))) > 0 {
			return "A removed member still reaches an account: revoke the access, or list it with the cerby_access data source."
		}
	}
	return ""
}
