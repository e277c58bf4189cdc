package faultmatrix

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cerby-community/terraform-provider-cerby/internal/cerbysim"
	"github.com/cerby-community/terraform-provider-cerby/internal/clitest"
)

func TestMain(m *testing.M) { clitest.Main(m) }

// ceiling bounds every CLI run; only a hang comes near it.
const ceiling = 30 * time.Second

const apiKey = "fm-key-3c9e71d04b"

// settings are the provider's retry settings, small so that the matrix is fast.
type settings struct {
	maxRetries                   int
	maxRetryWait, requestTimeout string
	pageSize                     int // page_size; 0 leaves the provider's default of 100
}

var quick = settings{maxRetries: 2, maxRetryWait: "3s", requestTimeout: "2s"}

// workspace is the ground truth every simulator row starts from: three pages
// of accounts at the provider's default page size of 100.
func workspace() *cerbysim.Workspace {
	return cerbysim.Generate(4, cerbysim.Size{Accounts: 250, Members: 10, AccessPerMember: 3})
}

// target is a misbehaving server; sim is nil when no simulator answers.
type target struct {
	url    string // the server's base URL; the row's API adds its prefix
	sim    *cerbysim.Server
	ws     *cerbysim.Workspace // what sim serves, before any change between pages
	before []string            // the simulator's account ids when the run began
	// first, when not nil, answered the first requests before sim took over.
	first *cerbysim.Server
	// elsewhere, when not nil, is a second server that must receive nothing.
	elsewhere *requestLog
}

// simulate serves a fresh workspace with faults, through wrap when not nil.
func simulate(t *testing.T, faults cerbysim.Faults, wrap func(http.Handler) http.Handler) target {
	t.Helper()
	return serveWorkspace(t, workspace(), cerbysim.Config{Faults: faults}, wrap)
}

// serveWorkspace serves ws as cfg says (the matrix's API key added),
// through wrap when not nil.
func serveWorkspace(t *testing.T, ws *cerbysim.Workspace, cfg cerbysim.Config, wrap func(http.Handler) http.Handler) target {
	t.Helper()
	cfg.APIKey = apiKey
	sim := cerbysim.New(ws, cfg)
	var h http.Handler = sim
	if wrap != nil {
		h = wrap(sim)
	}
	return target{url: listen(t, h), sim: sim, ws: ws}
}

// listen serves h on loopback for the test's duration.
func listen(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

func configuration(endpoint string, s settings, body string) string {
	pageSize := ""
	if s.pageSize > 0 {
		pageSize = fmt.Sprintf("\n  page_size       = %d", s.pageSize)
	}
	return fmt.Sprintf(`terraform {
  required_providers {
    cerby = { source = "cerby-community/cerby" }
  }
}

provider "cerby" {
  endpoint        = %q
  max_retries     = %d
  max_retry_wait  = %q
  request_timeout = %q%s
}
%s`, endpoint, s.maxRetries, s.maxRetryWait, s.requestTimeout, pageSize, body)
}

const listAccounts = `
data "cerby_accounts" "all" {}

output "ids" {
  value = data.cerby_accounts.all.ids
}

# Grouped (the ...), so that a duplicate id is counted, not a CLI error.
output "accounts" {
  value = { for a in data.cerby_accounts.all.accounts : a.id => { name = a.name, last_password_change = a.last_password_change }... }
}
`

// workdir is a configuration for cli against endpoint, with the API key in
// the environment as most pipelines set it.
func workdir(t *testing.T, cli clitest.CLI, endpoint string, s settings, body string) *clitest.Workdir {
	t.Helper()
	w := clitest.NewWorkdir(t, cli, "")
	w.Env["CERBY_API_KEY"] = apiKey
	w.WriteFile(t, "main.tf", configuration(endpoint, s, body))
	return w
}

func apply(w *clitest.Workdir, extra ...string) clitest.Result {
	ctx, cancel := context.WithTimeout(context.Background(), ceiling)
	defer cancel()
	return w.Run(ctx, append([]string{"apply", "-auto-approve", "-input=false", "-json"}, extra...)...)
}

// leaked reports the API key anywhere in what the CLI printed: every error
// path of the matrix is also a place a credential must not reach.
func leaked(r clitest.Result) error {
	if strings.Contains(r.Stdout+r.Stderr, apiKey) {
		return errors.New("the API key appears in the CLI's output")
	}
	return nil
}

// hung tells a run killed at the ceiling from one that ended by itself.
func hung(r clitest.Result) error {
	if r.ExitCode == -1 {
		return fmt.Errorf("no end within the %s ceiling: a hang (%v)\n%s", ceiling, r.Err, r.Stderr)
	}
	return nil
}

// firstError is the first error diagnostic, summary and detail joined.
func firstError(r clitest.Result) (string, bool) {
	for _, d := range clitest.Diagnostics(r.Stdout) {
		if d.Severity == "error" {
			return d.Summary + ": " + d.Detail, true
		}
	}
	return "", false
}

// errorMessages is every error diagnostic, summary and detail joined, its
// address (when it has one) in front.
func errorMessages(r clitest.Result) []string {
	var msgs []string
	for _, d := range clitest.Diagnostics(r.Stdout) {
		if d.Severity == "error" {
			msgs = append(msgs, strings.TrimPrefix(d.Address+": ", ": ")+d.Summary+": "+d.Detail)
		}
	}
	return msgs
}

// stringList reads a list output of strings.
func stringList(t *testing.T, w *clitest.Workdir, name string) []string {
	t.Helper()
	raw, ok := w.Outputs(t)[name].([]any)
	if !ok {
		t.Fatalf("output %s is not a list", name)
	}
	out := make([]string, len(raw))
	for i, v := range raw {
		out[i], _ = v.(string)
	}
	return out
}

func sameSet(got, want []string) bool {
	return len(got) == len(want) && !hasDuplicates(got) && !slices.ContainsFunc(want, func(id string) bool { return !slices.Contains(got, id) })
}

func hasDuplicates(ids []string) bool {
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			return true
		}
		seen[id] = true
	}
	return false
}

func brief(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 300 {
		return string(r[:300]) + "…"
	}
	return s
}

func cliLabel(t *testing.T, cli clitest.CLI) string {
	t.Helper()
	labels.mu.Lock()
	defer labels.mu.Unlock()
	if l, ok := labels.byPath[cli.Path]; ok {
		return l
	}
	w := clitest.NewWorkdir(t, cli, "")
	ctx, cancel := context.WithTimeout(context.Background(), ceiling)
	defer cancel()
	r := w.Run(ctx, "version")
	l := cli.Kind
	if fields := strings.Fields(r.Stdout); len(fields) >= 2 {
		l += " " + strings.TrimPrefix(fields[1], "v")
	}
	labels.byPath[cli.Path] = l
	return l
}

// labels caches each CLI's name and version, asked once per binary.
var labels = struct {
	mu     sync.Mutex
	byPath map[string]string
}{byPath: map[string]string{}}

// report collects the outcomes of one test binary for the table.
var report struct {
	mu       sync.Mutex
	outcomes []Outcome
}

func record(o Outcome) {
	report.mu.Lock()
	defer report.mu.Unlock()
	report.outcomes = append(report.outcomes, o)
}

// writeReport writes the table to $CERBY_RELIABILITY_TABLE, when set, with
// the rows in matrix order, each row's APIs together (the Read API first),
// and each API's CLIs together.
func writeReport(t *testing.T) {
	path := os.Getenv("CERBY_RELIABILITY_TABLE")
	if path == "" {
		return
	}
	report.mu.Lock()
	defer report.mu.Unlock()
	slices.SortStableFunc(report.outcomes, func(a, b Outcome) int {
		if a.Row != b.Row {
			return a.Row - b.Row
		}
		if a.API != b.API {
			return strings.Compare(b.API, a.API) // "Read API" before "Cerby API"
		}
		return strings.Compare(a.CLI, b.CLI)
	})
	failed := 0
	for _, o := range report.outcomes {
		if !o.Passed {
			failed++
		}
	}
	var b strings.Builder
	b.WriteString(tableIntro)
	if err := WriteTable(&b, report.outcomes); err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "\n%d outcomes: %d passed, %d failed.\n", len(report.outcomes), len(report.outcomes)-failed, failed)
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s (%d outcomes)", path, len(report.outcomes))
}

const tableIntro = `# Reliability: the fault matrix

Generated by ` + "`make reliability`" + ` from the tests in internal/faultmatrix; do not edit.
Each row makes the API misbehave one way (cerbysim's fault injection, or a
purpose-built server where cerbysim cannot express the fault) and runs a real
CLI against the provider built from this checkout. A row passes when the run
ends with exactly the simulator's data (the ids from ` + "`output -json`" + ` against
the simulator's ground truth, and each account's name and
last_password_change as the row's API serves them) or with a clear error, as
the row expects, within a 30 s ceiling that only a hang would reach, every
request the simulator saw was on the row's API, and the API key never
appears in what the CLI printed. The rows that make sense on both APIs run on
each, under one number (the API column): on the legacy Read API (endpoint the
simulator's URL) and on the Cerby API (endpoint the simulator's /api/v1, from
which the provider infers the Cerby API); the rows after them exist on the
Cerby API only. Provider settings are kept small so the matrix is fast:
max_retries 2, max_retry_wait 3s, request_timeout 2s unless the row says
otherwise. The workspace has 250 accounts, read in pages of 100 (limit on the
Read API, page[size] on the Cerby API, which lists every account: cerbysim's
Owner rule is off). The last rows read what only the Cerby API serves, in
one configuration: users with their MFA status, teams, one team's member
and account ids, vaults, integrations and one integration's seats, from a
smaller workspace (12 accounts, 10 members, 6 teams, 4 vaults, 3
integrations) in pages of 2 or 3, so that most listings take several pages;
there exactly the simulator's data is every listing's ids and attributes as
the simulator serves them, and the team's members and accounts, sorted.
Durations include the CLI's own start-up and, since rows
run four at a time, waiting for a CPU.

`
