package leaktest_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cerby-community/terraform-provider-cerby/internal/cerbysim"
	"github.com/cerby-community/terraform-provider-cerby/internal/clitest"
)

func TestMain(m *testing.M) { clitest.Main(m) }

// The credentials are distinctive so that any piece of them is findable.
const apiKey = "ck_live_LEAK-9Qx7mV2rT5wB8nY3pK6sF1dH4jZ0"

var (
	bearer        = jwt(time.Now().Add(24*time.Hour), "LIVEsig-Hq3Rw8Ty1Uo5Ip9")
	expiredBearer = jwt(time.Now().Add(-time.Hour), "GONEsig-Zx4Cv7Bn2Mq6Lk0")
)

func jwt(exp time.Time, signature string) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." + enc(fmt.Appendf(nil, `{"sub":"leak-test","exp":%d}`, exp.Unix())) + "." + signature
}

// secrets names every credential and distinctive pieces of each: the
// payload and signature of a JWT (its header is the same in every token), and
// the middle eight characters of a key or signature.
func secrets() map[string]string {
	out := map[string]string{}
	for name, value := range map[string]string{"API key": apiKey, "bearer token": bearer, "expired bearer token": expiredBearer} {
		out[name] = value
		secret := value
		if parts := strings.Split(value, "."); len(parts) == 3 {
			out[name+" (payload)"] = parts[1]
			out[name+" (signature)"] = parts[2]
			secret = parts[2]
		}
		mid := len(secret)/2 - 4
		out[name+" (middle 8 characters)"] = secret[mid : mid+8]
	}
	return out
}

// leakWorkspace is the small generated workspace every simulator here
// serves, the same each time.
func leakWorkspace() *cerbysim.Workspace {
	return cerbysim.Generate(7, cerbysim.Size{Accounts: 5, Members: 3, AccessPerMember: 2})
}

// newSim serves leakWorkspace, through both APIs, accepting only the test's
// credentials.
func newSim() *cerbysim.Server {
	return cerbysim.New(leakWorkspace(), cerbysim.Config{APIKey: apiKey, BearerToken: bearer})
}

// serve listens on loopback for the test's duration and returns the base URL.
func serve(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// session is one configuration folder under one CLI, with every text the
// CLI produced kept for the leak search.
type session struct {
	t        *testing.T
	w        *clitest.Workdir
	produced map[string]string // where → text
	runs     int
	last     string // name of the last run, the prefix of its entries in produced
	// savedPlan is the entry of `show -json` of the saved plan.
	savedPlan string
	// listing is the request line the provider logs for the accounts
	// listing, which requireProviderLogs looks for: "GET /v1/accounts"
	// unless the session reads the Cerby API.
	listing string
}

func newSession(t *testing.T, cli clitest.CLI, config string, env map[string]string) *session {
	t.Helper()
	w := clitest.NewWorkdir(t, cli, "")
	w.WriteFile(t, "main.tf", config)
	w.Env["TF_LOG"] = "TRACE"
	for k, v := range env {
		w.Env[k] = v
	}
	s := &session{t: t, w: w, produced: map[string]string{}, listing: "GET /v1/accounts"}
	t.Cleanup(s.requireNoSecret)
	return s
}

// run runs the CLI with a fresh TF_LOG_PATH and keeps its output and log.
func (s *session) run(args ...string) clitest.Result {
	s.t.Helper()
	s.runs++
	name := fmt.Sprintf("%d-%s", s.runs, args[0])
	s.last = name
	logFile := filepath.Join(s.t.TempDir(), name+".log")
	s.w.Env["TF_LOG_PATH"] = logFile
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	r := s.w.Run(ctx, args...)
	if r.Err != nil {
		s.t.Fatalf("%s %s: %v", s.w.CLI.Name, strings.Join(args, " "), r.Err)
	}
	s.produced[name+" stdout"] = r.Stdout
	s.produced[name+" stderr"] = r.Stderr
	log, err := os.ReadFile(logFile)
	if err != nil || len(log) == 0 {
		s.t.Errorf("%s %s wrote no TF_LOG=TRACE log (%v)", s.w.CLI.Name, args[0], err)
	}
	s.produced[name+" TF_LOG=TRACE log"] = string(log)
	s.keepCrashLogs(name)
	return r
}

// keepCrashLogs adds any crash log the CLI left in the folder to what is
// searched: a panic's report is written beside the configuration.
func (s *session) keepCrashLogs(run string) {
	s.t.Helper()
	logs, _ := filepath.Glob(filepath.Join(s.w.Dir, "crash*.log"))
	for _, path := range logs {
		text, err := os.ReadFile(path)
		if err != nil {
			s.t.Errorf("reading %s: %v", path, err)
			continue
		}
		s.produced[run+" "+filepath.Base(path)] = string(text)
	}
}

// mustSucceed runs and fails the test unless the CLI exits 0.
func (s *session) mustSucceed(args ...string) clitest.Result {
	s.t.Helper()
	r := s.run(args...)
	if r.ExitCode != 0 {
		s.t.Fatalf("%s %s: exit %d\n%s%s", s.w.CLI.Name, strings.Join(args, " "), r.ExitCode, r.Stdout, r.Stderr)
	}
	return r
}

// mustFail runs and fails the test unless the CLI fails with every phrase in
// its output (matched across the line breaks the CLIs insert).
func (s *session) mustFail(phrases []string, args ...string) {
	s.t.Helper()
	r := s.run(args...)
	text := strings.Join(strings.Fields(r.Stdout+r.Stderr), " ")
	if r.ExitCode == 0 {
		s.t.Fatalf("%s %s succeeded; want an error", s.w.CLI.Name, strings.Join(args, " "))
	}
	for _, p := range phrases {
		if !strings.Contains(text, p) {
			s.t.Errorf("%s %s: the error does not say %q:\n%s", s.w.CLI.Name, args[0], p, text)
		}
	}
}

// readAll plans to a file, shows it as JSON, applies, and reads the outputs
// and the state: every place a read's data ends up.
func (s *session) readAll() {
	s.t.Helper()
	s.mustSucceed("plan", "-input=false", "-no-color", "-out=tfplan")
	s.requireProviderLogs()
	s.mustSucceed("show", "-json", "tfplan")
	s.savedPlan = s.last + " stdout"
	s.mustSucceed("apply", "-input=false", "-no-color", "-auto-approve")
	s.mustSucceed("output", "-json")
	state, err := os.ReadFile(filepath.Join(s.w.Dir, "terraform.tfstate"))
	if err != nil {
		s.t.Fatalf("no state after apply: %v", err)
	}
	if !strings.Contains(string(state), `"cerby_accounts"`) {
		s.t.Errorf("the state holds no cerby_accounts read:\n%s", state)
	}
	s.produced["state file"] = string(state)
}

// requireProviderLogs fails unless the last run's log holds the provider's
// own lines at every level the provider writes (its client's request lines at
// DEBUG, the SDK's at TRACE): a log without them would make the leak checks
// pass for want of anything to read.
func (s *session) requireProviderLogs() {
	s.t.Helper()
	log := s.produced[s.last+" TF_LOG=TRACE log"]
	for _, line := range []string{s.listing, "Served request"} {
		if !strings.Contains(log, line) {
			s.t.Errorf("%s: the TF_LOG=TRACE log of %s lacks the provider's %q lines", s.w.CLI.Name, s.last, line)
		}
	}
}

func (s *session) requireNoSecret() {
	for where, text := range s.produced {
		for name, secret := range secrets() {
			if i := strings.Index(text, secret); i >= 0 {
				// The failure shows where, with the secret masked: the test's
				// own output must not leak it either.
				s.t.Errorf("%s: the %s reveals the %s: …%s…", s.w.CLI.Name, where, name, masked(text[max(0, i-150):min(len(text), i+len(secret)+50)]))
			}
		}
	}
}

// masked replaces every credential in text with its name.
func masked(text string) string {
	for name, value := range map[string]string{"API key": apiKey, "bearer token": bearer, "expired bearer token": expiredBearer} {
		text = strings.ReplaceAll(text, value, "<"+name+">")
	}
	return text
}

// providerBlock requires the provider and configures it with the endpoint
// and extra lines.
func providerBlock(endpoint string, lines ...string) string {
	return fmt.Sprintf(`terraform {
  required_providers {
    cerby = { source = "cerby-community/cerby" }
  }
}
provider "cerby" {
  endpoint = %q
  %s
}
`, endpoint, strings.Join(lines, "\n  "))
}

const readEverything = `
data "cerby_accounts" "all" {}
data "cerby_users" "all" {}
output "account_ids" { value = data.cerby_accounts.all.ids }
output "member_emails" { value = data.cerby_users.all.users[*].email }
`
