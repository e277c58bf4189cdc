package leaktest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/cerby-community/terraform-provider-cerby/internal/cerbysim"
	"github.com/cerby-community/terraform-provider-cerby/internal/clitest"
)

// forEachCLI runs test once per CLI, in parallel with the other tests.
func forEachCLI(t *testing.T, test func(t *testing.T, cli clitest.CLI)) {
	t.Helper()
	clitest.RequireAcc(t)
	t.Parallel()
	for _, cli := range clitest.CLIs(t) {
		t.Run(cli.Name, func(t *testing.T) { test(t, cli) })
	}
}

// Successful reads with each way of passing a credential: nothing the CLI
// writes holds it.
func TestAccLeaks_successfulReads(t *testing.T) {
	ways := map[string]struct {
		provider []string
		env      map[string]string
		// Terraform itself writes configuration constants and variable values
		// into a saved plan (show -json): beyond the provider's reach, which is
		// why the docs recommend the environment variables.
		inSavedPlan bool
	}{
		"API key from CERBY_API_KEY":           {env: map[string]string{"CERBY_API_KEY": apiKey}},
		"bearer token from CERBY_BEARER_TOKEN": {env: map[string]string{"CERBY_BEARER_TOKEN": bearer}},
		"API key in a sensitive variable": {
			provider:    []string{"api_key = var.cerby_api_key"},
			env:         map[string]string{"TF_VAR_cerby_api_key": apiKey},
			inSavedPlan: true,
		},
		"API key and bearer token in the provider block": {
			provider:    []string{fmt.Sprintf("api_key = %q", apiKey), fmt.Sprintf("bearer_token = %q", bearer)},
			inSavedPlan: true,
		},
	}
	forEachCLI(t, func(t *testing.T, cli clitest.CLI) {
		for name, way := range ways {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				endpoint := serve(t, newSim())
				config := providerBlock(endpoint, way.provider...) + readEverything +
					"variable \"cerby_api_key\" {\n  type      = string\n  default   = null\n  sensitive = true\n}\n"
				s := newSession(t, cli, config, way.env)
				s.readAll()
				if way.inSavedPlan {
					delete(s.produced, s.savedPlan)
				}
			})
		}
	})
}

// echoing answers every request with status and an error body that repeats
// the credential received, as a careless server or proxy might.
func echoing(status int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "0")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		detail := fmt.Sprintf("rejected X-API-Key %s, Authorization %s", r.Header.Get("X-API-Key"), r.Header.Get("Authorization"))
		_ = json.NewEncoder(w).Encode(map[string]any{"errors": []map[string]string{{"detail": detail}}, "message": detail})
	})
}

// oversized answers a body beyond the client's 64 MiB cap.
func oversized() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"accounts":[` + apiKey + strings.Repeat(" ", 64<<20)))
	})
}

// Every error path ends in a diagnostic that says what went wrong and holds
// no credential, even when the server echoes it back.
func TestAccLeaks_errorDiagnostics(t *testing.T) {
	withKey := map[string]string{"CERBY_API_KEY": apiKey}
	withBearer := map[string]string{"CERBY_BEARER_TOKEN": bearer}
	cases := map[string]struct {
		server  http.Handler // nil: no server is configured at all
		env     map[string]string
		config  string
		want    []string
		provide []string
	}{
		"401 echoing the key":         {server: echoing(http.StatusUnauthorized), env: withKey, want: []string{"401 Unauthorized", "[redacted]"}},
		"401 echoing the bearer":      {server: echoing(http.StatusUnauthorized), env: withBearer, want: []string{"401 Unauthorized", "Bearer [redacted]"}},
		"403":                         {server: echoing(http.StatusForbidden), env: withKey, want: []string{"403 Forbidden"}},
		"404":                         {server: echoing(http.StatusNotFound), env: withKey, want: []string{"404 Not Found"}, config: `data "cerby_account" "one" { id = "3f2b6c1e-8d4a-4e5b-9c7d-1a2b3c4d5e6f" }`},
		"429 until retries run out":   {server: echoing(http.StatusTooManyRequests), env: withKey, want: []string{"429 Too Many Requests", "2 attempts"}, provide: []string{"max_retries = 1"}},
		"5xx until retries run out":   {server: echoing(http.StatusServiceUnavailable), env: withBearer, want: []string{"503 Service Unavailable", "2 attempts"}, provide: []string{"max_retries = 1"}},
		"body over the cap":           {server: oversized(), env: withKey, want: []string{"64 MiB"}},
		"expired bearer token":        {server: newSim(), env: map[string]string{"CERBY_BEARER_TOKEN": expiredBearer}, want: []string{"expired"}},
		"plain http to a remote host": {env: withKey, want: []string{"must use HTTPS"}},
	}
	forEachCLI(t, func(t *testing.T, cli clitest.CLI) {
		for name, tc := range cases {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				endpoint := "http://api.example.com"
				var sim *cerbysim.Server
				if tc.server != nil {
					sim, _ = tc.server.(*cerbysim.Server)
					endpoint = serve(t, tc.server)
				}
				config := tc.config
				if config == "" {
					config = `data "cerby_accounts" "all" {}`
				}
				s := newSession(t, cli, providerBlock(endpoint, tc.provide...)+config+"\n", tc.env)
				s.mustFail(tc.want, "plan", "-input=false", "-no-color")
				if sim != nil && len(sim.Counters().Requests) != 0 {
					t.Errorf("the simulator saw %d requests; the error must come before any", len(sim.Counters().Requests))
				}
			})
		}
	})
}

// A redirect to another host (localhost instead of 127.0.0.1, another port)
// reaches it without X-API-Key or Authorization; the data still arrives.
func TestAccLeaks_redirectToAnotherHost(t *testing.T) {
	credentials := map[string]map[string]string{
		"API key":      {"CERBY_API_KEY": apiKey},
		"bearer token": {"CERBY_BEARER_TOKEN": bearer},
	}
	forEachCLI(t, func(t *testing.T, cli clitest.CLI) {
		for name, env := range credentials {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				// The other host has no credential to check: it records what it gets.
				elsewhere := cerbysim.New(cerbysim.Generate(7, cerbysim.Size{Accounts: 5, Members: 3, AccessPerMember: 2}), cerbysim.Config{})
				target := strings.Replace(serve(t, elsewhere), "127.0.0.1", "localhost", 1)
				redirect := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if r.Header.Get("X-API-Key") == "" && r.Header.Get("Authorization") == "" {
						http.Error(w, "the configured host must get the credential", http.StatusBadRequest)
						return
					}
					http.Redirect(w, r, target+r.URL.RequestURI(), http.StatusTemporaryRedirect)
				})
				s := newSession(t, cli, providerBlock(serve(t, redirect))+readEverything, env)
				s.readAll()
				seen := elsewhere.Counters().Requests
				if len(seen) == 0 {
					t.Fatal("the other host received no request: the redirect was not followed")
				}
				for _, r := range seen {
					if r.HasAPIKey || r.HasAuthorization {
						t.Errorf("%s %s?%s reached the other host with a credential header", r.Method, r.Path, r.RawQuery)
					}
				}
			})
		}
	})
}
