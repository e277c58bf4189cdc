package provider_test

import (
	"fmt"
	"net/http"
	"net/url"
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

// readAPI and cerbyAPI are the two rows of apis, for the tests that are
// about one API only.
var readAPI, cerbyAPI = apis[0], apis[1]

// other is the other API.
func (a accAPI) other() accAPI {
	if a.cerby {
		return readAPI
	}
	return cerbyAPI
}

// headerCase is a provider configuration and the headers every request
// must, and must not, carry.
type headerCase struct {
	args    []string
	present map[string]string
	absent  []string
}

func TestAccProvider_credentialHeaders(t *testing.T) {
	bearer := jwtExpiringAt(time.Now().Add(24 * time.Hour))
	forEachAPI(t, func(t *testing.T, api accAPI) {
		cases := map[string]headerCase{
			"api key only": {
				args:    []string{fmt.Sprintf("api_key = %q", testAPIKey)},
				present: map[string]string{"X-API-Key": testAPIKey},
				absent:  []string{"Authorization", "Cerby-Workspace"},
			},
		}
		if api.cerby {
			// The host names the workspace; beside an endpoint, workspace is not used.
			cases["workspace"] = headerCase{
				args:    []string{fmt.Sprintf("api_key = %q", testAPIKey), `workspace = "acme"`},
				present: map[string]string{"X-API-Key": testAPIKey},
				absent:  []string{"Authorization", "Cerby-Workspace"},
			}
		} else {
			// A bearer token with the Cerby API is an error: TestAccProvider_cerbyAPIConfigurationErrors.
			cases["bearer token only"] = headerCase{
				args:    []string{fmt.Sprintf("bearer_token = %q", bearer)},
				present: map[string]string{"Authorization": "Bearer " + bearer},
				absent:  []string{"X-API-Key"},
			}
			cases["both: the api key wins"] = headerCase{
				args:    []string{fmt.Sprintf("api_key = %q", testAPIKey), fmt.Sprintf("bearer_token = %q", bearer)},
				present: map[string]string{"X-API-Key": testAPIKey},
				absent:  []string{"Authorization"},
			}
			cases["workspace"] = headerCase{
				args:    []string{fmt.Sprintf("api_key = %q", testAPIKey), `workspace = "acme"`},
				present: map[string]string{"X-API-Key": testAPIKey, "Cerby-Workspace": "acme"},
			}
		}
		for name, tc := range cases {
			t.Run(name, func(t *testing.T) {
				f := newFakeAPI(t, fakeData{Accounts: []fixture{fullAccount}})
				config := providerBlock(append([]string{api.endpointArg(f)}, tc.args...)...)
				readAccountsWith(t, true, f, config, f.expectEveryRequest(tc.present, tc.absent...),
					f.expectQuery(api.accountsPath(), api.page(api.accountsPath(), 1, 100)))
			})
		}
	})
}

func TestAccProvider_settingsFromEnvironment(t *testing.T) {
	bearer := jwtExpiringAt(time.Now().Add(24 * time.Hour))
	type envCase struct {
		env     map[string]string
		present map[string]string
		absent  []string
	}
	forEachAPI(t, func(t *testing.T, api accAPI) {
		cases := map[string]envCase{
			// CERBY_API names the API beside a bare endpoint.
			"api and api key": {
				env:     map[string]string{"CERBY_API": api.name, "CERBY_API_KEY": testAPIKey, "CERBY_ENDPOINT": ""},
				present: map[string]string{"X-API-Key": testAPIKey},
				absent:  []string{"Authorization", "Cerby-Workspace"},
			},
		}
		if api.cerby {
			cases["api key and workspace"] = envCase{
				env:     map[string]string{"CERBY_API_KEY": testAPIKey, "CERBY_WORKSPACE": "acme"},
				present: map[string]string{"X-API-Key": testAPIKey},
				absent:  []string{"Authorization", "Cerby-Workspace"},
			}
		} else {
			cases["api key and workspace"] = envCase{
				env:     map[string]string{"CERBY_API_KEY": testAPIKey, "CERBY_WORKSPACE": "acme"},
				present: map[string]string{"X-API-Key": testAPIKey, "Cerby-Workspace": "acme"},
				absent:  []string{"Authorization"},
			}
			cases["bearer token"] = envCase{
				env:     map[string]string{"CERBY_BEARER_TOKEN": bearer},
				present: map[string]string{"Authorization": "Bearer " + bearer},
				absent:  []string{"X-API-Key", "Cerby-Workspace"},
			}
		}
		for name, tc := range cases {
			t.Run(name, func(t *testing.T) {
				isolateEnv(t)
				f := newFakeAPI(t, fakeData{Accounts: []fixture{fullAccount}})
				t.Setenv("CERBY_ENDPOINT", api.endpoint(f))
				for k, v := range tc.env {
					if k == "CERBY_ENDPOINT" { // the bare URL: the API is named, not inferred
						v = f.server.URL
					}
					t.Setenv(k, v)
				}
				readAccountsWith(t, false, f, `provider "cerby" {}`+"\n", f.expectEveryRequest(tc.present, tc.absent...),
					f.expectQuery(api.accountsPath(), api.page(api.accountsPath(), 1, 100)))
			})
		}
	})
}

func TestAccProvider_configWinsOverEnvironment(t *testing.T) {
	forEachAPI(t, func(t *testing.T, api accAPI) {
		isolateEnv(t)
		f := newFakeAPI(t, fakeData{Accounts: []fixture{fullAccount}})
		ignored := newFakeAPI(t, fakeData{Accounts: []fixture{fullAccount}, Keyless: true})
		t.Setenv("CERBY_API", api.other().name)
		t.Setenv("CERBY_ENDPOINT", api.other().endpoint(ignored))
		t.Setenv("CERBY_API_KEY", "env-key-must-not-be-used")
		t.Setenv("CERBY_WORKSPACE", "env-workspace")

		present, absent := map[string]string{"X-API-Key": testAPIKey, "Cerby-Workspace": "config-workspace"}, []string(nil)
		if api.cerby {
			delete(present, "Cerby-Workspace")
			absent = []string{"Cerby-Workspace"}
		}
		readAccountsWith(t, false, f, api.explicitProvider(f, `workspace = "config-workspace"`),
			f.expectEveryRequest(present, absent...),
			f.expectQuery(api.accountsPath(), api.page(api.accountsPath(), 1, 100)))
		ignored.requireRequests(t, 0)
	})
}

func TestAccProvider_redirectElsewhereCarriesNoCredential(t *testing.T) {
	bearer := jwtExpiringAt(time.Now().Add(24 * time.Hour))
	forEachAPI(t, func(t *testing.T, api accAPI) {
		credentials := map[string]string{"api key": fmt.Sprintf("api_key = %q", testAPIKey)}
		if !api.cerby {
			credentials["bearer token"] = fmt.Sprintf("bearer_token = %q", bearer)
		}
		for name, credential := range credentials {
			t.Run(name, func(t *testing.T) {
				// Another port is another origin, even on the same host.
				elsewhere := newFakeAPI(t, fakeData{Accounts: []fixture{fullAccount}, Keyless: true})
				q := url.Values{}
				for k, v := range api.page(api.accountsPath(), 1, 100) {
					q.Set(k, v)
				}
				f := newFakeAPI(t, fakeData{Always: &cannedResponse{
					Status: http.StatusTemporaryRedirect,
					Header: map[string]string{"Location": elsewhere.server.URL + api.accountsPath() + "?" + q.Encode()},
				}})
				readAccountsWith(t, true, f, providerBlock(api.endpointArg(f), credential),
					elsewhere.expectEveryRequest(nil, "X-API-Key", "Authorization"))
			})
		}
	})
}

func TestAccProvider_endpointWithV1Suffix(t *testing.T) {
	suffixes := map[string][]string{readAPI.name: {"/v1/", "/V1"}, cerbyAPI.name: {"/api/v1/", "/API/V1"}}
	forEachAPI(t, func(t *testing.T, api accAPI) {
		for _, suffix := range suffixes[api.name] {
			t.Run(suffix, func(t *testing.T) {
				f := newFakeAPI(t, fakeData{Accounts: []fixture{fullAccount}})
				config := providerBlock(fmt.Sprintf("endpoint = %q", f.server.URL+suffix), fmt.Sprintf("api_key = %q", testAPIKey))
				readAccountsWith(t, true, f, config, f.expectQuery(api.accountsPath(), api.page(api.accountsPath(), 1, 100)))
			})
		}
	})
}

// TestAccProvider_apiAttribute: api names the API beside a bare endpoint,
// which alone would mean the Read API.
func TestAccProvider_apiAttribute(t *testing.T) {
	forEachAPI(t, func(t *testing.T, api accAPI) {
		t.Run("bare endpoint", func(t *testing.T) {
			f := newFakeAPI(t, fakeData{Accounts: []fixture{fullAccount}})
			readAccountsWith(t, true, f, api.explicitProvider(f),
				f.expectQuery(api.accountsPath(), api.page(api.accountsPath(), 1, 100)))
			if n := len(f.requestsTo(api.other().accountsPath())); n != 0 {
				t.Errorf("%d requests to %s", n, api.other().accountsPath())
			}
		})
	})
}

func TestAccProvider_optionalSettingsAccepted(t *testing.T) {
	forEachAPI(t, func(t *testing.T, api accAPI) {
		f := newFakeAPI(t, fakeData{Accounts: []fixture{fullAccount}})
		readAccountsWith(t, true, f, api.provider(f,
			"page_size = 10", "page_concurrency = 2", "max_retries = 2", `max_retry_wait = "2s"`, `request_timeout = "30s"`, "requests_per_second = 50",
		), f.expectQuery(api.accountsPath(), api.page(api.accountsPath(), 1, 10)))
	})
}

func TestAccProvider_noCredential(t *testing.T) {
	want := map[string][]string{
		readAPI.name:  {`api_key`, `bearer_token`, `CERBY_API_KEY`, `CERBY_BEARER_TOKEN`},
		cerbyAPI.name: {`api_key`, `CERBY_API_KEY`, words("takes an API key only"), words(`api = "read_api"`)},
	}
	forEachAPI(t, func(t *testing.T, api accAPI) {
		isolateEnv(t)
		f := newFakeAPI(t, fakeData{Accounts: []fixture{fullAccount}})
		accTest(t, false, errorSteps(providerBlock(api.endpointArg(f))+dataAccounts, want[api.name]...)...)
		f.requireRequests(t, 0)
	})
}

// A bearer token on the Cerby API is an error whatever its expiry:
// TestAccProvider_cerbyAPIConfigurationErrors.
func TestAccProvider_expiredBearerToken(t *testing.T) {
	isolateEnv(t)
	f := newFakeAPI(t, fakeData{Accounts: []fixture{fullAccount}})
	token := jwtExpiringAt(time.Now().Add(-time.Hour))
	config := providerBlock(readAPI.endpointArg(f), fmt.Sprintf("bearer_token = %q", token)) + dataAccounts
	accTest(t, false, errorSteps(config, `(?i)expired`)...)
	f.requireRequests(t, 0)
}

func TestAccProvider_plainHTTPOnlyOnLoopback(t *testing.T) {
	endpoints := map[string]struct{ endpoint, example string }{
		readAPI.name:  {"http://api.example.com", "https://api.cerby.com"},
		cerbyAPI.name: {"http://acme.example.com/api/v1", "https://acme.cerby.com/api/v1"},
	}
	forEachAPI(t, func(t *testing.T, api accAPI) {
		f := newFakeAPI(t, fakeData{})
		tc := endpoints[api.name]
		config := providerBlock(fmt.Sprintf("endpoint = %q", tc.endpoint), fmt.Sprintf("api_key = %q", testAPIKey)) + dataAccounts
		accTest(t, true, errorSteps(config, `HTTPS`, words("e.g. "+tc.example))...)
		f.requireRequests(t, 0)
	})
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
	forEachAPI(t, func(t *testing.T, api accAPI) {
		for name, tc := range cases {
			t.Run(name, func(t *testing.T) {
				f := newFakeAPI(t, fakeData{Accounts: []fixture{fullAccount}})
				accTest(t, true, errorSteps(api.provider(f, tc.arg)+dataAccounts, tc.want)...)
				f.requireRequests(t, 0)
			})
		}
	})
}

func TestAccProvider_retryLimits(t *testing.T) {
	retryNow := map[string]string{"Retry-After": "0"}
	cases := map[string]struct {
		args     []string
		status   int
		want     string
		attempts int
	}{
		"429 without retries": {[]string{"max_retries = 0"}, 429, `429`, 1},
		"503 with one retry":  {[]string{"max_retries = 1", `max_retry_wait = "1s"`}, 503, `503`, 2},
	}
	forEachAPI(t, func(t *testing.T, api accAPI) {
		for name, tc := range cases {
			t.Run(name, func(t *testing.T) {
				f := newFakeAPI(t, fakeData{Always: &cannedResponse{Status: tc.status, Header: retryNow, Body: api.errorBody(tc.status, "try later")}})
				accTest(t, true, errorSteps(api.provider(f, tc.args...)+dataAccounts, tc.want, words("try later"))...)
				f.requireRequests(t, 2*tc.attempts) // two error steps
			})
		}
	})
}

func TestAccProvider_timeouts(t *testing.T) {
	cases := map[string]struct {
		providerArgs []string
		dataSource   string
	}{
		"data source read timeout": {nil, "data \"cerby_accounts\" \"test\" {\n  timeouts { read = \"1s\" }\n}\n"},
		"request_timeout":          {[]string{`request_timeout = "1s"`, "max_retries = 0"}, dataAccounts},
	}
	forEachAPI(t, func(t *testing.T, api accAPI) {
		for name, tc := range cases {
			t.Run(name, func(t *testing.T) {
				f := newFakeAPI(t, fakeData{Always: &cannedResponse{Hang: true}})
				accTest(t, true, errorSteps(api.provider(f, tc.providerArgs...)+tc.dataSource, `(?i)(deadline|time(d)?\s*out)`)...)
			})
		}
	})
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

// TestAccProvider_cerbyAPIConfigurationErrors: what cannot work on the Cerby
// API fails at plan time, naming the attribute and what to change, before
// any request.
func TestAccProvider_cerbyAPIConfigurationErrors(t *testing.T) {
	bearer := fmt.Sprintf("bearer_token = %q", jwtExpiringAt(time.Now().Add(24*time.Hour)))
	apiKey := fmt.Sprintf("api_key = %q", testAPIKey)
	bearerRefused := words("bearer_token is not accepted by the Cerby API")
	badWorkspace := func(name string) []string {
		return []string{words("Invalid value for workspace"), words(fmt.Sprintf("the workspace %q cannot be a host name", name)),
			words(`set the subdomain of your Cerby web app only, e.g. "acme" for https://acme.cerby.com`)}
	}
	cases := map[string]struct {
		env      map[string]string
		args     func(f *fakeAPI) []string
		patterns []string
	}{
		"bearer_token with api = cerby_api": {
			args: func(f *fakeAPI) []string {
				return []string{cerbyAPI.apiArg(), fmt.Sprintf("endpoint = %q", f.server.URL), bearer}
			},
			patterns: []string{bearerRefused, words("takes API keys only"), words(`api = "cerby_api"`),
				words("Set an API key with the api_key attribute"), words(`set api = "read_api"`)},
		},
		"bearer_token beside an api key, the Cerby API inferred from the endpoint": {
			args: func(f *fakeAPI) []string { return []string{cerbyAPI.endpointArg(f), apiKey, bearer} },
			patterns: []string{bearerRefused, words("inferred because api is not set and the endpoint's path ends in /api/v1"),
				words("remove the bearer token")},
		},
		"CERBY_BEARER_TOKEN with CERBY_API=cerby_api": {
			env:  map[string]string{"CERBY_API": "cerby_api", "CERBY_BEARER_TOKEN": jwtExpiringAt(time.Now().Add(time.Hour))},
			args: func(f *fakeAPI) []string { return []string{fmt.Sprintf("endpoint = %q", f.server.URL), apiKey} },
			patterns: []string{bearerRefused, words("CERBY_API=cerby_api"),
				words("The bearer token came from the CERBY_BEARER_TOKEN environment variable")},
		},
		"api = cerby_api with neither workspace nor endpoint": {
			args: func(*fakeAPI) []string { return []string{cerbyAPI.apiArg(), apiKey} },
			patterns: []string{words("Missing workspace for the Cerby API"), words("Set workspace (or the CERBY_WORKSPACE environment variable)"),
				words("or endpoint (or CERBY_ENDPOINT) to the full base URL, such as https://acme.cerby.com/api/v1")},
		},
		"workspace with a dot": {
			args:     func(*fakeAPI) []string { return []string{cerbyAPI.apiArg(), `workspace = "acme.evil"`, apiKey} },
			patterns: badWorkspace("acme.evil"),
		},
		"workspace with a space": {
			args:     func(*fakeAPI) []string { return []string{cerbyAPI.apiArg(), `workspace = "a b"`, apiKey} },
			patterns: badWorkspace("a b"),
		},
		"workspace with a dot, the Cerby API inferred": {
			args: func(*fakeAPI) []string { return []string{`workspace = "acme.evil"`, apiKey} },
			patterns: append(badWorkspace("acme.evil"), words("inferred because api is not set and workspace is set without endpoint or bearer_token"),
				words(`set api = "read_api" (or CERBY_API=read_api) to send the workspace in the Cerby-Workspace header`)),
		},
		"api = graphql": {
			args: func(f *fakeAPI) []string {
				return []string{`api = "graphql"`, fmt.Sprintf("endpoint = %q", f.server.URL), apiKey}
			},
			patterns: []string{words("Invalid value for api"), words(`"graphql" is not an API`),
				words(`use "cerby_api" (the Cerby API, https://<workspace>.cerby.com/api/v1) or "read_api"`)},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			isolateEnv(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			f := newFakeAPI(t, fakeData{Accounts: []fixture{fullAccount}, Members: []fixture{fullMember}})
			config := providerBlock(tc.args(f)...) + dataAccounts
			accTest(t, false, errorSteps(config, tc.patterns...)...)
			f.requireRequests(t, 0)
		})
	}
}

// A workspace is one host label, underscores allowed: accepted at validate
// and configure time (a read would reach the real host, so none is made).
func TestProviderConfigure_cerbyAPIWorkspaceAccepted(t *testing.T) {
	for _, workspace := range []string{"acme_co", "ACME-Co", "a", strings.Repeat("w", 63)} {
		t.Run(workspace, func(t *testing.T) {
			isolateEnv(t)
			diags := configureDiagnostics(t, map[string]tftypes.Value{
				"api":       tftypes.NewValue(tftypes.String, "cerby_api"),
				"workspace": tftypes.NewValue(tftypes.String, workspace),
				"api_key":   tftypes.NewValue(tftypes.String, testAPIKey),
			})
			if len(diags) != 0 {
				t.Errorf("workspace %q: want no diagnostic, got %+v", workspace, diags)
			}
		})
	}
	t.Run("64 characters", func(t *testing.T) {
		isolateEnv(t)
		diags := configureDiagnostics(t, map[string]tftypes.Value{
			"api":       tftypes.NewValue(tftypes.String, "cerby_api"),
			"workspace": tftypes.NewValue(tftypes.String, strings.Repeat("w", 64)),
			"api_key":   tftypes.NewValue(tftypes.String, testAPIKey),
		})
		if !hasDiagnostic(diags, tfprotov6.DiagnosticSeverityError, "workspace", "63") {
			t.Errorf("want an error that the workspace is longer than 63 characters, got %+v", diags)
		}
	})
}

// The Cerby API's bearer token error, like the Read API's expiry error, must
// not reveal the token.
func TestProviderConfigure_cerbyAPIBearerTokenIsNotRevealed(t *testing.T) {
	isolateEnv(t)
	f := newFakeAPI(t, fakeData{})
	token := jwtExpiringAt(time.Now().Add(time.Hour))
	diags := configureDiagnostics(t, map[string]tftypes.Value{
		"endpoint":     tftypes.NewValue(tftypes.String, cerbyAPI.endpoint(f)),
		"api_key":      tftypes.NewValue(tftypes.String, testAPIKey),
		"bearer_token": tftypes.NewValue(tftypes.String, token),
	})
	if !hasDiagnostic(diags, tfprotov6.DiagnosticSeverityError, "bearer_token", "cerby api") {
		t.Errorf("want an error that the Cerby API takes no bearer token, got %+v", diags)
	}
	for _, part := range strings.Split(token, ".") {
		requireNoDiagnosticContains(t, diags, part)
	}
	requireNoDiagnosticContains(t, diags, testAPIKey)
	f.requireRequests(t, 0)
}
