package provider_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

const dataAccounts = "data \"cerby_accounts\" \"test\" {}\n"

// readAccountsWith reads one account through providerConfig and checks what
// the fake saw on every request.
func readAccountsWith(t *testing.T, parallel bool, f *fakeAPI, providerConfig string, requestChecks ...resource.TestCheckFunc) {
	t.Helper()
	accTest(t, parallel, stableSteps(providerConfig+dataAccounts, accountsAddr+".ids",
		[]statecheck.StateCheck{idList(accountsAddr, 1)}, requestChecks...)...)
}

func TestAccProvider_credentialHeaders(t *testing.T) {
	bearer := jwtExpiringAt(time.Now().Add(24 * time.Hour))
	cases := map[string]struct {
		args    []string
		present map[string]string
		absent  []string
	}{
		"api key only": {
			args:    []string{fmt.Sprintf("api_key = %q", testAPIKey)},
			present: map[string]string{"X-API-Key": testAPIKey},
			absent:  []string{"Authorization", "Cerby-Workspace"},
		},
		"bearer token only": {
			args:    []string{fmt.Sprintf("bearer_token = %q", bearer)},
			present: map[string]string{"Authorization": "Bearer " + bearer},
			absent:  []string{"X-API-Key"},
		},
		"both: the api key wins": {
			args:    []string{fmt.Sprintf("api_key = %q", testAPIKey), fmt.Sprintf("bearer_token = %q", bearer)},
			present: map[string]string{"X-API-Key": testAPIKey},
			absent:  []string{"Authorization"},
		},
		"workspace": {
			args:    []string{fmt.Sprintf("api_key = %q", testAPIKey), `workspace = "acme"`},
			present: map[string]string{"X-API-Key": testAPIKey, "Cerby-Workspace": "acme"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			f := newFakeAPI(t, fakeData{Accounts: []fixture{fullAccount}})
			config := providerBlock(append([]string{f.endpointArg()}, tc.args...)...)
			readAccountsWith(t, true, f, config, f.expectEveryRequest(tc.present, tc.absent...))
		})
	}
}

func TestAccProvider_settingsFromEnvironment(t *testing.T) {
	bearer := jwtExpiringAt(time.Now().Add(24 * time.Hour))
	cases := map[string]struct {
		env     map[string]string
		present map[string]string
		absent  []string
	}{
		"api key and workspace": {
			env:     map[string]string{"CERBY_API_KEY": testAPIKey, "CERBY_WORKSPACE": "acme"},
			present: map[string]string{"X-API-Key": testAPIKey, "Cerby-Workspace": "acme"},
			absent:  []string{"Authorization"},
		},
		"bearer token": {
			env:     map[string]string{"CERBY_BEARER_TOKEN": bearer},
			present: map[string]string{"Authorization": "Bearer " + bearer},
			absent:  []string{"X-API-Key", "Cerby-Workspace"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			isolateEnv(t)
			f := newFakeAPI(t, fakeData{Accounts: []fixture{fullAccount}})
			t.Setenv("CERBY_ENDPOINT", f.server.URL)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			readAccountsWith(t, false, f, `provider "cerby" {}`+"\n", f.expectEveryRequest(tc.present, tc.absent...))
		})
	}
}

func TestAccProvider_configWinsOverEnvironment(t *testing.T) {
	isolateEnv(t)
	f := newFakeAPI(t, fakeData{Accounts: []fixture{fullAccount}})
	ignored := newFakeAPI(t, fakeData{Accounts: []fixture{fullAccount}})
	t.Setenv("CERBY_ENDPOINT", ignored.server.URL)
	t.Setenv("CERBY_API_KEY", "env-key-must-not-be-used")
	t.Setenv("CERBY_WORKSPACE", "env-workspace")

	readAccountsWith(t, false, f, f.provider(`workspace = "config-workspace"`),
		f.expectEveryRequest(map[string]string{"X-API-Key": testAPIKey, "Cerby-Workspace": "config-workspace"}))
	ignored.requireRequests(t, 0)
}

func TestAccProvider_redirectElsewhereCarriesNoCredential(t *testing.T) {
	bearer := jwtExpiringAt(time.Now().Add(24 * time.Hour))
	credentials := map[string]string{
		"api key":      fmt.Sprintf("api_key = %q", testAPIKey),
		"bearer token": fmt.Sprintf("bearer_token = %q", bearer),
	}
	for name, credential := range credentials {
		t.Run(name, func(t *testing.T) {
			// Another port is another origin, even on the same host.
			elsewhere := newFakeAPI(t, fakeData{Accounts: []fixture{fullAccount}})
			f := newFakeAPI(t, fakeData{Always: &cannedResponse{
				Status: http.StatusTemporaryRedirect,
				Header: map[string]string{"Location": elsewhere.server.URL + "/v1/accounts?startIndex=1&limit=100"},
			}})
			readAccountsWith(t, true, f, providerBlock(f.endpointArg(), credential),
				elsewhere.expectEveryRequest(nil, "X-API-Key", "Authorization"))
		})
	}
}

func TestAccProvider_endpointWithV1Suffix(t *testing.T) {
	f := newFakeAPI(t, fakeData{Accounts: []fixture{fullAccount}})
	config := providerBlock(fmt.Sprintf("endpoint = %q", f.server.URL+"/v1/"), fmt.Sprintf("api_key = %q", testAPIKey))
	readAccountsWith(t, true, f, config, f.expectQuery("/v1/accounts", map[string]string{"startIndex": "1"}))
}

func TestAccProvider_optionalSettingsAccepted(t *testing.T) {
	f := newFakeAPI(t, fakeData{Accounts: []fixture{fullAccount}})
	readAccountsWith(t, true, f, f.provider(
		"page_size = 10", "page_concurrency = 2", "max_retries = 2", `max_retry_wait = "2s"`, `request_timeout = "30s"`, "requests_per_second = 50",
	), f.expectQuery("/v1/accounts", map[string]string{"startIndex": "1", "limit": "10"}))
}

func TestAccProvider_noCredential(t *testing.T) {
	isolateEnv(t)
	f := newFakeAPI(t, fakeData{Accounts: []fixture{fullAccount}})
	accTest(t, false, errorSteps(providerBlock(f.endpointArg())+dataAccounts,
		`api_key`, `bearer_token`, `CERBY_API_KEY`, `CERBY_BEARER_TOKEN`)...)
	f.requireRequests(t, 0)
}

func TestAccProvider_expiredBearerToken(t *testing.T) {
	isolateEnv(t)
	f := newFakeAPI(t, fakeData{Accounts: []fixture{fullAccount}})
	token := jwtExpiringAt(time.Now().Add(-time.Hour))
	config := providerBlock(f.endpointArg(), fmt.Sprintf("bearer_token = %q", token)) + dataAccounts
	accTest(t, false, errorSteps(config, `(?i)expired`)...)
	f.requireRequests(t, 0)
}

func TestAccProvider_plainHTTPOnlyOnLoopback(t *testing.T) {
	f := newFakeAPI(t, fakeData{})
	config := providerBlock(`endpoint = "http://api.example.com"`, fmt.Sprintf("api_key = %q", testAPIKey)) + dataAccounts
	accTest(t, true, errorSteps(config, `HTTPS`)...)
	f.requireRequests(t, 0)
}

func TestAccProvider_invalidSettings(t *testing.T) {
	cases := map[string]struct{ arg, want string }{
		"page_size 0":           {"page_size = 0", `\b100\b`},
		"page_size 101":         {"page_size = 101", `\b100\b`},
		"page_concurrency 0":    {"page_concurrency = 0", `\b16\b`},
		"page_concurrency 17":   {"page_concurrency = 17", `\b16\b`},
		"negative max_retries":  {"max_retries = -1", `(?i)(at\s+least\s+0|negative|>=\s*0|greater\s+than\s+or\s+equal|0\s+(\(no\s+retry\)\s+)?or\s+more)`},
		"bad max_retry_wait":    {`max_retry_wait = "soon"`, `(?i)duration`},
		"bad request_timeout":   {`request_timeout = "10 parsecs"`, `(?i)duration`},
		"requests_per_second 0": {"requests_per_second = 0", `(?i)(greater\s+than\s+(0|zero)|positive|>\s*0)`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			f := newFakeAPI(t, fakeData{Accounts: []fixture{fullAccount}})
			accTest(t, true, errorSteps(f.provider(tc.arg)+dataAccounts, tc.want)...)
			f.requireRequests(t, 0)
		})
	}
}

func TestAccProvider_retryLimits(t *testing.T) {
	retryNow := map[string]string{"Retry-After": "0"}
	cases := map[string]struct {
		args     []string
		answer   cannedResponse
		want     string
		attempts int
	}{
		"429 without retries": {[]string{"max_retries = 0"}, cannedResponse{Status: 429, Header: retryNow}, `429`, 1},
		"503 with one retry":  {[]string{"max_retries = 1", `max_retry_wait = "1s"`}, cannedResponse{Status: 503, Header: retryNow}, `503`, 2},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			f := newFakeAPI(t, fakeData{Always: &tc.answer})
			accTest(t, true, errorSteps(f.provider(tc.args...)+dataAccounts, tc.want)...)
			f.requireRequests(t, tc.attempts)
		})
	}
}

func TestAccProvider_timeouts(t *testing.T) {
	cases := map[string]struct {
		providerArgs []string
		dataSource   string
	}{
		"data source read timeout": {nil, "data \"cerby_accounts\" \"test\" {\n  timeouts { read = \"1s\" }\n}\n"},
		"request_timeout":          {[]string{`request_timeout = "1s"`, "max_retries = 0"}, dataAccounts},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			f := newFakeAPI(t, fakeData{Always: &cannedResponse{Hang: true}})
			accTest(t, true, errorSteps(f.provider(tc.providerArgs...)+tc.dataSource, `(?i)(deadline|time(d)?\s*out)`)...)
		})
	}
}

// The checks below drive the provider over the plugin protocol: a CLI run
// cannot show warnings, and it prints the configuration source (token
// included) next to a diagnostic, hiding whether the provider leaked it.

func TestProviderConfigure_bothCredentialsWarnsBearerIgnored(t *testing.T) {
	isolateEnv(t)
	f := newFakeAPI(t, fakeData{})
	bearer := jwtExpiringAt(time.Now().Add(time.Hour))
	diags := configureDiagnostics(t, map[string]tftypes.Value{
		"endpoint":     tftypes.NewValue(tftypes.String, f.server.URL),
		"api_key":      tftypes.NewValue(tftypes.String, testAPIKey),
		"bearer_token": tftypes.NewValue(tftypes.String, bearer),
	})

	if hasError(diags) {
		t.Fatalf("unexpected error: %+v", diags)
	}
	if !hasDiagnostic(diags, tfprotov6.DiagnosticSeverityWarning, "bearer", "ignored") {
		t.Errorf("want a warning that the bearer token is ignored, got %+v", diags)
	}
	requireNoDiagnosticContains(t, diags, testAPIKey)
	requireNoDiagnosticContains(t, diags, bearer)
	f.requireRequests(t, 0)
}

func TestProviderConfigure_expiredBearerTokenIsNotRevealed(t *testing.T) {
	isolateEnv(t)
	f := newFakeAPI(t, fakeData{})
	token := jwtExpiringAt(time.Now().Add(-time.Minute))
	diags := configureDiagnostics(t, map[string]tftypes.Value{
		"endpoint":     tftypes.NewValue(tftypes.String, f.server.URL),
		"bearer_token": tftypes.NewValue(tftypes.String, token),
	})

	if !hasDiagnostic(diags, tfprotov6.DiagnosticSeverityError, "expired") {
		t.Errorf("want an error saying the bearer token expired, got %+v", diags)
	}
	// Any one part would reveal the token's claims or signature.
	for _, part := range strings.Split(token, ".") {
		requireNoDiagnosticContains(t, diags, part)
	}
	f.requireRequests(t, 0)
}

// hasDiagnostic reports whether one diagnostic of this severity mentions every word.
func hasDiagnostic(diags []*tfprotov6.Diagnostic, severity tfprotov6.DiagnosticSeverity, terms ...string) bool {
	for _, d := range diags {
		text := strings.ToLower(d.Summary + " " + d.Detail)
		if d.Severity == severity && allContained(text, terms) {
			return true
		}
	}
	return false
}

func allContained(text string, terms []string) bool {
	for _, w := range terms {
		if !strings.Contains(text, w) {
			return false
		}
	}
	return true
}
