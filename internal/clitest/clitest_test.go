package clitest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestMain(m *testing.M) { Main(m) }

func TestDevOverridesNamesBothRegistries(t *testing.T) {
	got := devOverrides(`/tmp/a "b"`)
	for _, want := range []string{
		`"registry.terraform.io/cerby-community/cerby"  = "/tmp/a \"b\""`,
		`"registry.opentofu.org/cerby-community/cerby" = "/tmp/a \"b\""`,
		"dev_overrides {",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("CLI config lacks %q:\n%s", want, got)
		}
	}
}

func TestEnvironIsMinimal(t *testing.T) {
	t.Setenv("CERBY_API_KEY", "leak")
	t.Setenv("TF_LOG", "trace")
	w := &Workdir{home: "/h", cliConfig: "/c.tfrc", Env: map[string]string{"CERBY_ENDPOINT": "http://127.0.0.1:1"}}
	env := w.environ()
	for _, want := range []string{"HOME=/h", "TF_CLI_CONFIG_FILE=/c.tfrc", "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "CERBY_ENDPOINT=http://127.0.0.1:1"} {
		if !slices.Contains(env, want) {
			t.Errorf("environment lacks %s: %q", want, env)
		}
	}
	for _, kv := range env {
		if strings.HasPrefix(kv, "CERBY_API_KEY=") || strings.HasPrefix(kv, "TF_LOG=") {
			t.Errorf("%s leaked in from the test's environment", kv)
		}
	}
}

// Shaped like terraform 1.5 and tofu 1.12 plan -json output.
const planJSON = `{"@level":"info","@message":"Terraform 1.5.7","type":"version","terraform":"1.5.7","ui":"1.1"}
{"@level":"warn","@message":"Warning: Provider development overrides are in effect","type":"diagnostic","diagnostic":{"severity":"warning","summary":"Provider development overrides are in effect","detail":"The following provider development overrides are set in the CLI configuration"}}
not json: a stray line
{"@level":"error","@message":"Error: Resource postcondition failed","type":"diagnostic","diagnostic":{"severity":"error","summary":"Resource postcondition failed","detail":"2 accounts lack MFA.","address":"data.cerby_accounts.all","range":{"filename":"main.tf","start":{"line":3}}}}
{"@level":"info","@message":"Plan: 0 to add","type":"change_summary","changes":{"add":0}}`

func TestDiagnosticsParsesOnlyDiagnostics(t *testing.T) {
	got := Diagnostics(planJSON)
	want := []Diagnostic{
		{Severity: "warning", Summary: "Provider development overrides are in effect", Detail: "The following provider development overrides are set in the CLI configuration"},
		{Severity: "error", Summary: "Resource postcondition failed", Detail: "2 accounts lack MFA.", Address: "data.cerby_accounts.all"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("Diagnostics =\n%+v\nwant\n%+v", got, want)
	}
	if d := Diagnostics(""); d != nil {
		t.Errorf("Diagnostics of nothing = %+v", d)
	}
}

const requiredProviders = "terraform {\n  required_providers {\n    cerby = { source = \"cerby-community/cerby\" }\n  }\n}\n"

// TestAccWorkdirRunsEachCLI proves the runner end to end: a provider-free
// apply through dev_overrides without init, outputs, and a killed run.
func TestAccWorkdirRunsEachCLI(t *testing.T) {
	RequireAcc(t)
	for _, cli := range CLIs(t) {
		t.Run(cli.Name, func(t *testing.T) {
			w := NewWorkdir(t, cli, "")
			w.WriteFile(t, "versions.tf", requiredProviders)
			w.WriteFile(t, "main.tf", "provider \"cerby\" {\n  endpoint = \"http://127.0.0.1:9\"\n  api_key = \"k\"\n}\n"+
				"resource \"terraform_data\" \"x\" {\n  input = \"hello\"\n}\noutput \"x\" {\n  value = terraform_data.x.output\n}\n")
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			r := w.Run(ctx, "apply", "-auto-approve", "-json")
			if r.ExitCode != 0 || r.Err != nil {
				t.Fatalf("apply: exit %d %v\n%s%s", r.ExitCode, r.Err, r.Stdout, r.Stderr)
			}
			if !slices.ContainsFunc(Diagnostics(r.Stdout), func(d Diagnostic) bool {
				return strings.Contains(d.Summary, "overrides are in effect")
			}) {
				t.Errorf("no dev_overrides warning: the provider build was not used\n%s", r.Stdout)
			}
			if got := w.Outputs(t)["x"]; got != "hello" {
				t.Errorf("output x = %v, want hello", got)
			}

			requireKillOnDeadline(t, w)
		})
	}
}

// requireKillOnDeadline cancels a read stuck on an API that never answers and
// checks that the CLI was killed and its provider plugin with it (the
// plugin's connection closes).
func requireKillOnDeadline(t *testing.T, w *Workdir) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pluginGone := make(chan struct{})
	api := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		cancel()
		<-r.Context().Done()
		close(pluginGone)
	}))
	defer api.Close()
	w.WriteFile(t, "main.tf", "provider \"cerby\" {\n  endpoint = \""+api.URL+"\"\n  api_key = \"k\"\n}\n"+
		"data \"cerby_accounts\" \"all\" {}\n")
	if r := w.Run(ctx, "plan"); r.ExitCode != -1 {
		t.Fatalf("a cancelled run exited %d, want -1 (killed)\n%s%s", r.ExitCode, r.Stdout, r.Stderr)
	}
	select {
	case <-pluginGone:
	case <-time.After(time.Minute):
		t.Fatal("the provider plugin still holds its request a minute after the CLI was killed")
	}
}

func TestCLITableNamesKindAndVersion(t *testing.T) {
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	table, err := os.ReadFile(filepath.Join(root, "scripts", "clis.txt"))
	if err != nil {
		t.Fatal(err)
	}
	ids := parseCLITable(string(table))
	if len(ids) < 3 {
		t.Fatalf("scripts/clis.txt lists %q; want terraform 1.5, a current terraform and tofu", ids)
	}
	valid := regexp.MustCompile(`^(terraform|tofu)-[0-9]+\.[0-9]+\.[0-9]+$`)
	for _, id := range ids {
		if !valid.MatchString(id) {
			t.Errorf("scripts/clis.txt: %q is not <terraform|tofu>-<major.minor.patch>", id)
		}
	}
	if got := parseCLITable("# c\n\n  terraform-1.5.7  \n# tofu-1.0.0\ntofu-1.12.6"); !slices.Equal(got, []string{"terraform-1.5.7", "tofu-1.12.6"}) {
		t.Errorf("parseCLITable = %q", got)
	}
}
