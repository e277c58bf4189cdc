package provider

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/cerby-community/terraform-provider-cerby/internal/client"
)

var now = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func env(vars map[string]string) func(string) string {
	return func(name string) string { return vars[name] }
}

func jwtExpiring(exp time.Time) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." + enc(fmt.Appendf(nil, `{"exp":%d}`, exp.Unix())) + "." + enc([]byte("sig"))
}

// onlyDiag returns the single diagnostic of the given severity.
func onlyDiag(t *testing.T, diags diag.Diagnostics, severity diag.Severity) diag.Diagnostic {
	t.Helper()
	var found []diag.Diagnostic
	for _, d := range diags {
		if d.Severity() == severity {
			found = append(found, d)
		}
	}
	if len(found) != 1 {
		t.Fatalf("want exactly one %s, got %v", severity, diags)
	}
	return found[0]
}

func diagPath(d diag.Diagnostic) path.Path {
	if withPath, ok := d.(diag.DiagnosticWithPath); ok {
		return withPath.Path()
	}
	return path.Empty()
}

func assertAttributeError(t *testing.T, diags diag.Diagnostics, attribute string, detailParts ...string) diag.Diagnostic {
	t.Helper()
	d := onlyDiag(t, diags, diag.SeverityError)
	want := path.Root(attribute)
	if isCredential(want) {
		want = path.Empty() // named in the summary instead
	}
	if got := diagPath(d); !got.Equal(want) || !strings.Contains(d.Summary(), attribute) {
		t.Errorf("error %q attached to %q, want %q: %s", d.Summary(), got, want, d.Detail())
	}
	for _, part := range detailParts {
		if !strings.Contains(d.Detail(), part) {
			t.Errorf("error detail %q does not contain %q", d.Detail(), part)
		}
	}
	return d
}

func TestResolveClientOptionsDefaults(t *testing.T) {
	opts, diags := resolveClientOptions(providerModel{}, env(map[string]string{envAPIKey: "key"}), now)
	if diags.HasError() || diags.WarningsCount() > 0 {
		t.Fatalf("unexpected diagnostics: %v", diags)
	}
	want := client.Options{
		BaseURL:         client.DefaultBaseURL,
		APIKey:          "key",
		PageSize:        client.DefaultPageSize,
		PageConcurrency: client.DefaultPageConcurrency,
		MaxRetries:      client.DefaultMaxRetries,
		MaxRetryWait:    client.DefaultMaxRetryWait,
		RequestTimeout:  client.DefaultRequestTimeout,
	}
	if opts != want {
		t.Errorf("options = %+v, want %+v", opts, want)
	}
}

func TestResolveClientOptionsConfigurationWinsOverEnvironment(t *testing.T) {
	m := providerModel{
		APIKey:            types.StringValue("config-key"),
		Workspace:         types.StringValue("config-ws"),
		Endpoint:          types.StringValue("http://127.0.0.1:8080/v1/"),
		PageSize:          types.Int64Value(7),
		PageConcurrency:   types.Int64Value(1),
		MaxRetries:        types.Int64Value(0),
		MaxRetryWait:      types.StringValue("2m"),
		RequestTimeout:    types.StringValue("1m30s"),
		RequestsPerSecond: types.Float64Value(0.5),
	}
	environment := env(map[string]string{envAPIKey: "env-key", envWorkspace: "env-ws", envEndpoint: "https://env.example.com"})
	opts, diags := resolveClientOptions(m, environment, now)
	if diags.HasError() {
		t.Fatalf("unexpected diagnostics: %v", diags)
	}
	want := client.Options{
		BaseURL:           "http://127.0.0.1:8080",
		APIKey:            "config-key",
		Workspace:         "config-ws",
		PageSize:          7,
		PageConcurrency:   1,
		MaxRetries:        0,
		MaxRetryWait:      2 * time.Minute,
		RequestTimeout:    90 * time.Second,
		RequestsPerSecond: 0.5,
	}
	if opts != want {
		t.Errorf("options = %+v, want %+v", opts, want)
	}
}

func TestResolveClientOptionsFallsBackToEnvironment(t *testing.T) {
	environment := env(map[string]string{envBearerToken: "opaque-token", envWorkspace: "env-ws", envEndpoint: "https://env.example.com/"})
	opts, diags := resolveClientOptions(providerModel{}, environment, now)
	if diags.HasError() {
		t.Fatalf("unexpected diagnostics: %v", diags)
	}
	if opts.BearerToken != "opaque-token" || opts.APIKey != "" || opts.Workspace != "env-ws" || opts.BaseURL != "https://env.example.com" {
		t.Errorf("options = %+v, want the bearer token, workspace and endpoint from the environment", opts)
	}
}

func TestResolveClientOptionsBothCredentialsWarnThatTheBearerTokenIsIgnored(t *testing.T) {
	m := providerModel{APIKey: types.StringValue("key")}
	opts, diags := resolveClientOptions(m, env(map[string]string{envBearerToken: jwtExpiring(now.Add(-time.Hour))}), now)
	if diags.HasError() {
		t.Fatalf("an ignored bearer token must not be checked for expiry: %v", diags)
	}
	w := onlyDiag(t, diags, diag.SeverityWarning)
	if !diagPath(w).Equal(path.Empty()) || !strings.Contains(w.Detail(), "api_key") || !strings.Contains(w.Detail(), envBearerToken) {
		t.Errorf("warning should sit on no attribute (the CLI would print the token's line) and name both sources: %s", w.Detail())
	}
	if opts.APIKey != "key" || opts.BearerToken != "" {
		t.Errorf("APIKey=%q BearerToken=%q, want only the API key", opts.APIKey, opts.BearerToken)
	}
}

func TestResolveClientOptionsWithoutCredentialsIsOneErrorNamingEveryWay(t *testing.T) {
	_, diags := resolveClientOptions(providerModel{}, env(nil), now)
	d := onlyDiag(t, diags, diag.SeverityError)
	for _, name := range []string{"api_key", "bearer_token", envAPIKey, envBearerToken} {
		if !strings.Contains(d.Summary()+d.Detail(), name) {
			t.Errorf("error does not name %s: %s", name, d.Detail())
		}
	}
	if diags.ErrorsCount() != 1 {
		t.Errorf("want exactly one error, got %v", diags)
	}
}

func TestResolveClientOptionsExpiredBearerToken(t *testing.T) {
	token := jwtExpiring(now.Add(-90 * time.Minute))
	_, diags := resolveClientOptions(providerModel{BearerToken: types.StringValue(token)}, env(nil), now)
	d := assertAttributeError(t, diags, "bearer_token", "expired at 2026-01-02T01:34:05Z", "1h30m0s ago", "Profile → Dev Tools")
	if strings.Contains(d.Detail(), token) || strings.Contains(d.Summary(), token) {
		t.Error("the diagnostic echoes the token")
	}

	_, diags = resolveClientOptions(providerModel{}, env(map[string]string{envBearerToken: token}), now)
	assertAttributeError(t, diags, "bearer_token", "expired", envBearerToken)
}

func TestResolveClientOptionsAcceptsLiveAndOpaqueBearerTokens(t *testing.T) {
	for _, token := range []string{jwtExpiring(now.Add(time.Minute)), "not-a-jwt"} {
		opts, diags := resolveClientOptions(providerModel{BearerToken: types.StringValue(token)}, env(nil), now)
		if diags.HasError() || opts.BearerToken != token {
			t.Errorf("token %q: BearerToken=%q diags=%v", token, opts.BearerToken, diags)
		}
	}
}

func TestResolveClientOptionsBadCredentialsAreNotEchoed(t *testing.T) {
	const secret = "  padded-secret\n"
	_, diags := resolveClientOptions(providerModel{}, env(map[string]string{envAPIKey: secret}), now)
	d := assertAttributeError(t, diags, "api_key", "whitespace", envAPIKey)
	if strings.Contains(d.Detail(), "padded-secret") {
		t.Error("the diagnostic echoes the API key")
	}

	_, diags = resolveClientOptions(providerModel{BearerToken: types.StringValue("")}, env(nil), now)
	assertAttributeError(t, diags, "bearer_token", "empty")
}

func TestResolveClientOptionsEndpoint(t *testing.T) {
	key := types.StringValue("key")
	_, diags := resolveClientOptions(providerModel{APIKey: key, Endpoint: types.StringValue("http://api.example.com")}, env(nil), now)
	assertAttributeError(t, diags, "endpoint", "HTTPS")

	_, diags = resolveClientOptions(providerModel{APIKey: key}, env(map[string]string{envEndpoint: "http://api.example.com"}), now)
	assertAttributeError(t, diags, "endpoint", "HTTPS", envEndpoint)

	opts, diags := resolveClientOptions(providerModel{APIKey: key, Endpoint: types.StringValue("http://localhost:9999/")}, env(nil), now)
	if diags.HasError() || opts.BaseURL != "http://localhost:9999" {
		t.Errorf("loopback http endpoint: BaseURL=%q diags=%v", opts.BaseURL, diags)
	}
}

func TestResolveClientOptionsRejectsOutOfRangeSettings(t *testing.T) {
	key := types.StringValue("key")
	for _, tc := range []struct {
		attribute string
		model     providerModel
		detail    string
	}{
		{"page_size", providerModel{PageSize: types.Int64Value(0)}, "between 1 and 100"},
		{"page_size", providerModel{PageSize: types.Int64Value(101)}, "between 1 and 100"},
		{"page_concurrency", providerModel{PageConcurrency: types.Int64Value(0)}, "between 1 and 16, got 0"},
		{"page_concurrency", providerModel{PageConcurrency: types.Int64Value(17)}, "between 1 and 16, got 17"},
		{"max_retries", providerModel{MaxRetries: types.Int64Value(-1)}, "0 (no retry) or more"},
		{"max_retry_wait", providerModel{MaxRetryWait: types.StringValue("soon")}, `such as "30s"`},
		{"max_retry_wait", providerModel{MaxRetryWait: types.StringValue("0s")}, "longer than zero"},
		{"request_timeout", providerModel{RequestTimeout: types.StringValue("-5s")}, "longer than zero"},
		{"request_timeout", providerModel{RequestTimeout: types.StringValue("10")}, "not a duration"},
		{"requests_per_second", providerModel{RequestsPerSecond: types.Float64Value(0)}, "greater than zero"},
	} {
		t.Run(tc.attribute, func(t *testing.T) {
			tc.model.APIKey = key
			_, diags := resolveClientOptions(tc.model, env(nil), now)
			assertAttributeError(t, diags, tc.attribute, tc.detail)
		})
	}
}

func TestResolveClientOptionsUnknownValuesAreErrorsOnTheirAttribute(t *testing.T) {
	for attribute, model := range map[string]providerModel{
		"api_key":             {APIKey: types.StringUnknown()},
		"bearer_token":        {BearerToken: types.StringUnknown()},
		"workspace":           {APIKey: types.StringValue("k"), Workspace: types.StringUnknown()},
		"endpoint":            {APIKey: types.StringValue("k"), Endpoint: types.StringUnknown()},
		"page_size":           {APIKey: types.StringValue("k"), PageSize: types.Int64Unknown()},
		"page_concurrency":    {APIKey: types.StringValue("k"), PageConcurrency: types.Int64Unknown()},
		"max_retries":         {APIKey: types.StringValue("k"), MaxRetries: types.Int64Unknown()},
		"max_retry_wait":      {APIKey: types.StringValue("k"), MaxRetryWait: types.StringUnknown()},
		"request_timeout":     {APIKey: types.StringValue("k"), RequestTimeout: types.StringUnknown()},
		"requests_per_second": {APIKey: types.StringValue("k"), RequestsPerSecond: types.Float64Unknown()},
	} {
		t.Run(attribute, func(t *testing.T) {
			_, diags := resolveClientOptions(model, env(nil), now)
			assertAttributeError(t, diags, attribute, attribute, "not known yet")
		})
	}
}

func TestStringCheckValidatorSkipsNullAndUnknownAndReportsOnTheAttribute(t *testing.T) {
	ctx := context.Background()
	at := path.Root("endpoint")
	for _, v := range []types.String{types.StringNull(), types.StringUnknown()} {
		var resp validator.StringResponse
		endpointValidator.ValidateString(ctx, validator.StringRequest{Path: at, ConfigValue: v}, &resp)
		if resp.Diagnostics.HasError() {
			t.Errorf("%s value must be skipped: %v", v, resp.Diagnostics)
		}
	}
	var resp validator.StringResponse
	endpointValidator.ValidateString(ctx, validator.StringRequest{Path: at, ConfigValue: types.StringValue("ftp://x")}, &resp)
	assertAttributeError(t, resp.Diagnostics, "endpoint", "HTTPS")
}

func TestCredentialValidatorDoesNotEchoTheValue(t *testing.T) {
	var resp validator.StringResponse
	credentialValidator.ValidateString(context.Background(),
		validator.StringRequest{Path: path.Root("api_key"), ConfigValue: types.StringValue("sekrit\n")}, &resp)
	d := assertAttributeError(t, resp.Diagnostics, "api_key", "whitespace")
	if strings.Contains(d.Summary()+d.Detail(), "sekrit") {
		t.Error("the diagnostic echoes the credential")
	}
}

func TestNumericValidators(t *testing.T) {
	ctx := context.Background()
	var intResp validator.Int64Response
	pageSizeValidator.ValidateInt64(ctx, validator.Int64Request{Path: path.Root("page_size"), ConfigValue: types.Int64Value(500)}, &intResp)
	assertAttributeError(t, intResp.Diagnostics, "page_size", "got 500")
	var concResp validator.Int64Response
	pageConcurrencyValidator.ValidateInt64(ctx, validator.Int64Request{Path: path.Root("page_concurrency"), ConfigValue: types.Int64Value(32)}, &concResp)
	assertAttributeError(t, concResp.Diagnostics, "page_concurrency", "between 1 and 16, got 32")

	var floatResp validator.Float64Response
	requestsPerSecondValidator.ValidateFloat64(ctx, validator.Float64Request{Path: path.Root("requests_per_second"), ConfigValue: types.Float64Value(-1)}, &floatResp)
	assertAttributeError(t, floatResp.Diagnostics, "requests_per_second", "greater than zero")

	intResp = validator.Int64Response{}
	maxRetriesValidator.ValidateInt64(ctx, validator.Int64Request{Path: path.Root("max_retries"), ConfigValue: types.Int64Unknown()}, &intResp)
	if intResp.Diagnostics.HasError() {
		t.Errorf("unknown value must be skipped: %v", intResp.Diagnostics)
	}
}

func TestCheckUUID(t *testing.T) {
	for _, ok := range []string{"3f2b6c1e-8d4a-4e5b-9c7d-1a2b3c4d5e6f", "3F2B6C1E-8D4A-4E5B-9C7D-1A2B3C4D5E6F"} {
		if err := checkUUID(ok); err != nil {
			t.Errorf("checkUUID(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{"", "../admin/users", "3f2b6c1e8d4a4e5b9c7d1a2b3c4d5e6f", "{3f2b6c1e-8d4a-4e5b-9c7d-1a2b3c4d5e6f}", "3f2b6c1e-8d4a-4e5b-9c7d-1a2b3c4d5e6f/x"} {
		if err := checkUUID(bad); err == nil || !strings.Contains(err.Error(), "expected a UUID") {
			t.Errorf("checkUUID(%q) = %v, want an error saying a UUID is expected", bad, err)
		}
	}
}

func TestCheckEmail(t *testing.T) {
	if err := checkEmail("Jane.Doe+x@example.com"); err != nil {
		t.Errorf("valid email refused: %v", err)
	}
	for _, bad := range []string{"", "jane", "jane@", "@example.com", "a@b@c", "jane @example.com", "jane@example.com\n", "ja\x00ne@example.com"} {
		if err := checkEmail(bad); err == nil {
			t.Errorf("checkEmail(%q) accepted", bad)
		}
	}
}

func TestMaskSecretsHidesCredentialsInMessagesAndFields(t *testing.T) {
	var out bytes.Buffer
	ctx := maskSecrets(tflogtest.RootLogger(context.Background(), &out), nonEmpty("", "key-123", "tok-456"))
	tflog.Debug(ctx, "sending key-123", map[string]any{"header": "Bearer tok-456"})
	tflogLogger{}.Warn(ctx, "retrying with tok-456", map[string]any{"key": "key-123"})

	logged := out.String()
	if strings.Contains(logged, "key-123") || strings.Contains(logged, "tok-456") {
		t.Errorf("a credential reached the log: %s", logged)
	}
	if strings.Count(logged, "***") != 4 {
		t.Errorf("want four masked values, log: %s", logged)
	}
}

func TestMaskSecretsWithoutSecretsLeavesLogsAlone(t *testing.T) {
	var out bytes.Buffer
	ctx := maskSecrets(tflogtest.RootLogger(context.Background(), &out), nonEmpty("", ""))
	tflogLogger{}.Debug(ctx, "plain line", nil)
	if !strings.Contains(out.String(), `"plain line"`) {
		t.Errorf("log line altered: %s", out.String())
	}
}

func TestInferAPI(t *testing.T) {
	const (
		cerby = client.CerbyAPI
		read  = client.ReadAPI
	)
	for _, tc := range []struct {
		name              string
		endpoint          string // "" with hasEndpoint false: no endpoint
		workspace, bearer bool
		want              client.API
		whyMentions       string
	}{
		// Row 1: an endpoint whose path ends in /api/v1.
		{"api/v1 path", "https://acme.cerby.com/api/v1", false, false, cerby, "/api/v1"},
		{"api/v1 path, any case, trailing slashes", "https://cerby.example.com/API/V1//", false, false, cerby, "/api/v1"},
		{"api/v1 under a prefix", "https://proxy.example.com/cerby/api/v1", false, false, cerby, "/api/v1"},
		{"api/v1 on api.cerby.com", "https://api.cerby.com/api/v1", false, false, cerby, "/api/v1"},
		{"api/v1 on loopback, with a bearer token", "http://127.0.0.1:8080/api/v1/", true, true, cerby, "/api/v1"},
		// Row 2: a *.cerby.com host other than api.cerby.com.
		{"workspace host", "https://acme.cerby.com", false, false, cerby, "acme.cerby.com"},
		{"workspace host, upper case, port, slash", "https://ACME.Cerby.COM:8443/", false, false, cerby, "acme.cerby.com"},
		{"workspace host with a trailing dot", "https://acme.cerby.com./", false, false, cerby, "acme.cerby.com"},
		{"workspace host with an underscore", "https://my_team.cerby.com", false, false, cerby, "my_team.cerby.com"},
		{"workspace host beats a bearer token", "https://acme.cerby.com", true, true, cerby, "acme.cerby.com"},
		{"workspace host, http (refused later)", "http://acme.cerby.com", false, false, cerby, "acme.cerby.com"},
		// Row 3: any other endpoint.
		{"api.cerby.com", "https://api.cerby.com", false, false, read, ""},
		{"api.cerby.com/v1, upper case", "https://API.CERBY.COM/v1/", true, false, read, ""},
		{"cerby.com itself", "https://cerby.com", false, false, read, ""},
		{"look-alike host", "https://evilcerby.com", false, false, read, ""},
		{"cerby.com as a label of another host", "https://acme.cerby.com.example.net", false, false, read, ""},
		{"api/v1 not at the end", "https://example.com/api/v1/accounts", false, false, read, ""},
		{"v1 only", "https://example.com/v1", false, false, read, ""},
		{"loopback simulator, workspace set", "http://localhost:9999", true, false, read, ""},
		{"not a URL (refused later)", "https://[::1", true, false, read, ""},
		{"empty endpoint (refused later)", "", true, false, read, ""},
		// Rows 4 and 5: no endpoint.
		{"workspace, no bearer token", "-", true, false, cerby, "workspace"},
		{"workspace and a bearer token", "-", true, true, read, ""},
		{"bearer token alone", "-", false, true, read, ""},
		{"nothing", "-", false, false, read, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			endpoint, hasEndpoint := tc.endpoint, tc.endpoint != "-"
			if !hasEndpoint {
				endpoint = ""
			}
			got, why := inferAPI(endpoint, hasEndpoint, tc.workspace, tc.bearer)
			if got != tc.want {
				t.Errorf("inferAPI(%q, endpoint=%v, workspace=%v, bearer=%v) = %s, want %s", endpoint, hasEndpoint, tc.workspace, tc.bearer, got, tc.want)
			}
			if (why == "") != (tc.want == client.ReadAPI) || !strings.Contains(why, tc.whyMentions) {
				t.Errorf("why = %q, want a reason for the Cerby API only, mentioning %q", why, tc.whyMentions)
			}
		})
	}
}

func TestResolveClientOptionsPicksTheAPIAndBaseURL(t *testing.T) {
	key := types.StringValue("key")
	for _, tc := range []struct {
		name      string
		model     providerModel
		env       map[string]string
		api       client.API
		baseURL   string
		workspace string
	}{
		{"api key and workspace: the workspace host", providerModel{APIKey: key, Workspace: types.StringValue("acme")}, nil,
			client.CerbyAPI, "", "acme"},
		{"the same from the environment", providerModel{}, map[string]string{envAPIKey: "key", envWorkspace: "acme"},
			client.CerbyAPI, "", "acme"},
		{"a workspace with underscores", providerModel{APIKey: key, Workspace: types.StringValue("My_Team-1")}, nil,
			client.CerbyAPI, "", "My_Team-1"},
		{"an /api/v1 endpoint", providerModel{APIKey: key, Endpoint: types.StringValue("https://ACME.cerby.com/api/V1/")}, nil,
			client.CerbyAPI, "https://acme.cerby.com", ""},
		{"an /api/v1 endpoint elsewhere wins over the workspace", providerModel{APIKey: key, Workspace: types.StringValue("acme"), Endpoint: types.StringValue("https://cerby.example.ca/api/v1")}, nil,
			client.CerbyAPI, "https://cerby.example.ca", "acme"},
		{"a workspace host endpoint from the environment", providerModel{APIKey: key}, map[string]string{envEndpoint: "https://acme.cerby.com"},
			client.CerbyAPI, "https://acme.cerby.com", ""},
		{"api.cerby.com endpoint with a workspace: the Read API", providerModel{APIKey: key, Workspace: types.StringValue("acme"), Endpoint: types.StringValue("https://api.cerby.com/v1")}, nil,
			client.ReadAPI, "https://api.cerby.com", "acme"},
		{"workspace and bearer token: the Read API", providerModel{BearerToken: types.StringValue("opaque"), Workspace: types.StringValue("acme")}, nil,
			client.ReadAPI, client.DefaultBaseURL, "acme"},
		{"an empty workspace is no workspace", providerModel{APIKey: key, Workspace: types.StringValue("")}, nil,
			client.ReadAPI, client.DefaultBaseURL, ""},
		{"api = read_api keeps the header", providerModel{API: types.StringValue(apiRead), APIKey: key, Workspace: types.StringValue("acme")}, nil,
			client.ReadAPI, client.DefaultBaseURL, "acme"},
		{"CERBY_API=read_api keeps the header", providerModel{}, map[string]string{envAPI: apiRead, envAPIKey: "key", envWorkspace: "acme"},
			client.ReadAPI, client.DefaultBaseURL, "acme"},
		{"api in the block wins over CERBY_API", providerModel{API: types.StringValue(apiRead), APIKey: key, Workspace: types.StringValue("acme")}, map[string]string{envAPI: apiCerby},
			client.ReadAPI, client.DefaultBaseURL, "acme"},
		{"api = read_api on a workspace host", providerModel{API: types.StringValue(apiRead), APIKey: key, Endpoint: types.StringValue("https://acme.cerby.com/v1")}, nil,
			client.ReadAPI, "https://acme.cerby.com", ""},
		{"api = cerby_api on a loopback simulator", providerModel{API: types.StringValue(apiCerby), APIKey: key, Endpoint: types.StringValue("http://127.0.0.1:8080")}, nil,
			client.CerbyAPI, "http://127.0.0.1:8080", ""},
		{"CERBY_API=cerby_api with a workspace", providerModel{APIKey: key}, map[string]string{envAPI: apiCerby, envWorkspace: "acme"},
			client.CerbyAPI, "", "acme"},
		{"api = cerby_api uses the endpoint, not the workspace", providerModel{API: types.StringValue(apiCerby), APIKey: key, Workspace: types.StringValue("not.a.label"), Endpoint: types.StringValue("https://acme.cerby.com/api/v1")}, nil,
			client.CerbyAPI, "https://acme.cerby.com", "not.a.label"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts, diags := resolveClientOptions(tc.model, env(tc.env), now)
			if diags.HasError() || diags.WarningsCount() > 0 {
				t.Fatalf("unexpected diagnostics: %v", diags)
			}
			if opts.API != tc.api || opts.BaseURL != tc.baseURL || opts.Workspace != tc.workspace {
				t.Errorf("API=%s BaseURL=%q Workspace=%q, want %s %q %q", opts.API, opts.BaseURL, opts.Workspace, tc.api, tc.baseURL, tc.workspace)
			}
			if _, err := client.New(opts); err != nil {
				t.Errorf("the client refuses the options: %v", err)
			}
		})
	}
}

func TestResolveClientOptionsInvalidAPI(t *testing.T) {
	for _, tc := range []struct {
		name   string
		model  providerModel
		env    map[string]string
		detail []string
	}{
		{"in the block", providerModel{API: types.StringValue("cerby")}, nil, []string{`"cerby"`}},
		{"empty", providerModel{API: types.StringValue("")}, nil, []string{`""`}},
		{"wrong case", providerModel{API: types.StringValue("CERBY_API")}, nil, []string{`"CERBY_API"`}},
		{"from the environment", providerModel{}, map[string]string{envAPI: "v2"}, []string{`"v2"`, envAPI}},
		// The API is not guessed: no error about the bearer token or the workspace.
		{"beside a bearer token", providerModel{API: types.StringValue("cerby api"), BearerToken: types.StringValue("opaque"), Workspace: types.StringValue("acme")}, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.model.BearerToken.IsNull() {
				tc.model.APIKey = types.StringValue("key")
			}
			_, diags := resolveClientOptions(tc.model, env(tc.env), now)
			assertAttributeError(t, diags, "api", append([]string{`"cerby_api"`, `"read_api"`}, tc.detail...)...)
		})
	}
}

func TestAPIValidator(t *testing.T) {
	ctx := context.Background()
	for _, v := range []types.String{types.StringNull(), types.StringUnknown(), types.StringValue(apiCerby), types.StringValue(apiRead)} {
		var resp validator.StringResponse
		apiValidator.ValidateString(ctx, validator.StringRequest{Path: path.Root("api"), ConfigValue: v}, &resp)
		if resp.Diagnostics.HasError() {
			t.Errorf("%s refused: %v", v, resp.Diagnostics)
		}
	}
	var resp validator.StringResponse
	apiValidator.ValidateString(ctx, validator.StringRequest{Path: path.Root("api"), ConfigValue: types.StringValue("read")}, &resp)
	assertAttributeError(t, resp.Diagnostics, "api", `"read"`, `"cerby_api"`, `"read_api"`, "leave api out")
	for _, value := range []string{apiCerby, apiRead} {
		if !strings.Contains(apiValidator.Description(ctx), value) {
			t.Errorf("the validator's description does not name %q", value)
		}
	}
}

func TestResolveClientOptionsBearerTokenWithTheCerbyAPI(t *testing.T) {
	token := jwtExpiring(now.Add(time.Hour))
	for _, tc := range []struct {
		name   string
		model  providerModel
		env    map[string]string
		detail []string
	}{
		{"api = cerby_api", providerModel{API: types.StringValue(apiCerby), BearerToken: types.StringValue(token), Workspace: types.StringValue("acme")}, nil,
			[]string{`api = "cerby_api"`}},
		{"CERBY_API and CERBY_BEARER_TOKEN", providerModel{}, map[string]string{envAPI: apiCerby, envBearerToken: token, envWorkspace: "acme"},
			[]string{"CERBY_API=cerby_api", "came from the " + envBearerToken}},
		{"inferred from an /api/v1 endpoint", providerModel{BearerToken: types.StringValue(token), Endpoint: types.StringValue("https://cerby.example.ca/api/v1")}, nil,
			[]string{"api is not set", "/api/v1"}},
		{"inferred from a workspace host", providerModel{Endpoint: types.StringValue("https://acme.cerby.com")}, map[string]string{envBearerToken: token},
			[]string{"api is not set", "acme.cerby.com", envBearerToken}},
		{"even beside an API key", providerModel{API: types.StringValue(apiCerby), APIKey: types.StringValue("key"), BearerToken: types.StringValue(token), Workspace: types.StringValue("acme")}, nil,
			nil},
		{"an expired token: the API is the problem", providerModel{API: types.StringValue(apiCerby), BearerToken: types.StringValue(jwtExpiring(now.Add(-time.Hour))), Workspace: types.StringValue("acme")}, nil,
			nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, diags := resolveClientOptions(tc.model, env(tc.env), now)
			d := assertAttributeError(t, diags, "bearer_token",
				append([]string{"API keys only", "api_key", envAPIKey, `api = "read_api"`, "CERBY_API=read_api", "Read API"}, tc.detail...)...)
			if strings.Contains(d.Summary()+d.Detail(), token) {
				t.Error("the diagnostic echoes the token")
			}
			if diags.WarningsCount() > 0 {
				t.Errorf("the error is enough, got warnings too: %v", diags)
			}
		})
	}
}

func TestResolveClientOptionsCerbyAPINeedsAWorkspaceOrEndpoint(t *testing.T) {
	key := types.StringValue("key")
	for _, tc := range []struct {
		name   string
		model  providerModel
		env    map[string]string
		detail string
	}{
		{"api = cerby_api alone", providerModel{API: types.StringValue(apiCerby), APIKey: key}, nil, `api = "cerby_api"`},
		{"an empty workspace", providerModel{API: types.StringValue(apiCerby), APIKey: key, Workspace: types.StringValue("")}, nil, `api = "cerby_api"`},
		{"CERBY_API=cerby_api", providerModel{}, map[string]string{envAPI: apiCerby, envAPIKey: "key"}, "CERBY_API=cerby_api"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, diags := resolveClientOptions(tc.model, env(tc.env), now)
			assertAttributeError(t, diags, "workspace", tc.detail, "Set workspace", envWorkspace, "subdomain", "Cerby web app", "endpoint", envEndpoint, "full base URL")
		})
	}
}

func TestResolveClientOptionsWorkspaceThatCannotBeAHost(t *testing.T) {
	key := types.StringValue("key")
	for _, workspace := range []string{"acme.evil.com", "acme/x", "-acme", "acme-", "a b", "acme.cerby.com", strings.Repeat("a", 64)} {
		t.Run(workspace, func(t *testing.T) {
			_, want := client.WorkspaceBaseURL(workspace)
			if want == nil {
				t.Fatalf("client.WorkspaceBaseURL(%q) accepts it", workspace)
			}
			_, diags := resolveClientOptions(providerModel{APIKey: key, Workspace: types.StringValue(workspace)}, env(nil), now)
			assertAttributeError(t, diags, "workspace", want.Error())

			_, diags = resolveClientOptions(providerModel{APIKey: key}, env(map[string]string{envWorkspace: workspace}), now)
			assertAttributeError(t, diags, "workspace", want.Error(), envWorkspace)

			// Only inferred: the way back to the Cerby-Workspace header is named.
			_, diags = resolveClientOptions(providerModel{APIKey: key, Workspace: types.StringValue(workspace)}, env(nil), now)
			assertAttributeError(t, diags, "workspace", "inferred because api is not set", `api = "read_api"`, "CERBY_API=read_api", "Cerby-Workspace")
			_, diags = resolveClientOptions(providerModel{API: types.StringValue(apiCerby), APIKey: key, Workspace: types.StringValue(workspace)}, env(nil), now)
			if d := assertAttributeError(t, diags, "workspace", want.Error()); strings.Contains(d.Detail(), "read_api") {
				t.Errorf("with api = \"cerby_api\" set, the error should not suggest the Read API: %s", d.Detail())
			}
		})
	}
}

func TestResolveClientOptionsWorkspaceIsNoHostOnTheReadAPIOrWithAnEndpoint(t *testing.T) {
	for name, model := range map[string]providerModel{
		"read api": {API: types.StringValue(apiRead), APIKey: types.StringValue("key"), Workspace: types.StringValue("acme.example")},
		"endpoint": {API: types.StringValue(apiCerby), APIKey: types.StringValue("key"), Workspace: types.StringValue("acme.example"), Endpoint: types.StringValue("https://acme.cerby.com")},
	} {
		t.Run(name, func(t *testing.T) {
			opts, diags := resolveClientOptions(model, env(nil), now)
			if diags.HasError() || opts.Workspace != "acme.example" {
				t.Errorf("Workspace=%q diags=%v", opts.Workspace, diags)
			}
		})
	}
}

func TestResolveClientOptionsEndpointIsCheckedForTheChosenAPI(t *testing.T) {
	key := types.StringValue("key")
	_, diags := resolveClientOptions(providerModel{API: types.StringValue(apiCerby), APIKey: key, Endpoint: types.StringValue("http://cerby.example.com/api/v1")}, env(nil), now)
	assertAttributeError(t, diags, "endpoint", "HTTPS", "https://acme.cerby.com/api/v1")

	_, diags = resolveClientOptions(providerModel{APIKey: key}, env(map[string]string{envEndpoint: "https://acme.cerby.com/api/v1?x=1"}), now)
	assertAttributeError(t, diags, "endpoint", "query string", envEndpoint)

	_, diags = resolveClientOptions(providerModel{APIKey: key, Workspace: types.StringValue("acme"), Endpoint: types.StringValue("")}, env(nil), now)
	assertAttributeError(t, diags, "endpoint", "empty")
}

func TestEndpointValidatorGivesTheExampleOfTheAPITheEndpointMeans(t *testing.T) {
	for endpoint, example := range map[string]string{
		"http://acme.cerby.com":     "https://acme.cerby.com/api/v1",
		"http://example.com/api/v1": "https://acme.cerby.com/api/v1",
		"http://api.cerby.com":      "https://api.cerby.com",
		"http://example.com/v1":     "https://api.cerby.com",
	} {
		err := checkEndpoint(endpoint)
		if err == nil || !strings.Contains(err.Error(), "e.g. "+example+";") {
			t.Errorf("checkEndpoint(%q) = %v, want the example %s", endpoint, err, example)
		}
	}
}

func TestResolveClientOptionsReadAPIKeepsTheKeyOverTheBearerToken(t *testing.T) {
	for name, model := range map[string]providerModel{
		"api = read_api": {API: types.StringValue(apiRead), APIKey: types.StringValue("key"), BearerToken: types.StringValue("opaque"), Workspace: types.StringValue("acme")},
		"inferred":       {APIKey: types.StringValue("key"), BearerToken: types.StringValue("opaque"), Workspace: types.StringValue("acme")},
	} {
		t.Run(name, func(t *testing.T) {
			opts, diags := resolveClientOptions(model, env(nil), now)
			if diags.HasError() {
				t.Fatalf("unexpected errors: %v", diags)
			}
			onlyDiag(t, diags, diag.SeverityWarning)
			if opts.API != client.ReadAPI || opts.APIKey != "key" || opts.BearerToken != "" || opts.Workspace != "acme" || opts.BaseURL != client.DefaultBaseURL {
				t.Errorf("options = %+v, want the Read API with the key and the workspace header", opts)
			}
		})
	}
}

func TestResolveClientOptionsCerbyAPIWithoutCredentialsAsksForAKey(t *testing.T) {
	_, diags := resolveClientOptions(providerModel{Workspace: types.StringValue("acme")}, env(nil), now)
	d := onlyDiag(t, diags, diag.SeverityError)
	for _, part := range []string{"api is not set", "api_key", envAPIKey, "API key only", `api = "read_api"`} {
		if !strings.Contains(d.Detail(), part) {
			t.Errorf("error detail %q does not contain %q", d.Detail(), part)
		}
	}
}

func TestResolveClientOptionsUnknownValuesDoNotGuessTheAPI(t *testing.T) {
	for attribute, model := range map[string]providerModel{
		"api":          {API: types.StringUnknown(), APIKey: types.StringValue("k"), BearerToken: types.StringValue("t"), Endpoint: types.StringValue("https://acme.cerby.com")},
		"workspace":    {API: types.StringValue(apiCerby), APIKey: types.StringValue("k"), Workspace: types.StringUnknown()},
		"endpoint":     {API: types.StringValue(apiCerby), APIKey: types.StringValue("k"), Endpoint: types.StringUnknown()},
		"bearer_token": {Workspace: types.StringValue("acme"), BearerToken: types.StringUnknown()},
	} {
		t.Run(attribute, func(t *testing.T) {
			_, diags := resolveClientOptions(model, env(nil), now)
			assertAttributeError(t, diags, attribute, "not known yet")
		})
	}
}

func TestResolveClientOptionsNoDiagnosticHoldsTheCredentials(t *testing.T) {
	const key, token = "key-value-never-shown", "token-value-never-shown"
	for name, tc := range map[string]struct {
		model providerModel
		env   map[string]string
	}{
		"bearer token on the Cerby API":  {providerModel{API: types.StringValue(apiCerby), APIKey: types.StringValue(key), BearerToken: types.StringValue(token), Workspace: types.StringValue("acme")}, nil},
		"from the environment":           {providerModel{}, map[string]string{envAPI: apiCerby, envAPIKey: key, envBearerToken: token, envWorkspace: "acme"}},
		"no workspace":                   {providerModel{API: types.StringValue(apiCerby), APIKey: types.StringValue(key)}, nil},
		"bad workspace":                  {providerModel{APIKey: types.StringValue(key), Workspace: types.StringValue("a.b")}, nil},
		"bad api":                        {providerModel{API: types.StringValue("x"), APIKey: types.StringValue(key), BearerToken: types.StringValue(token)}, nil},
		"bad endpoint":                   {providerModel{APIKey: types.StringValue(key), Endpoint: types.StringValue("http://acme.cerby.com")}, nil},
		"both on the Read API (warning)": {providerModel{APIKey: types.StringValue(key), BearerToken: types.StringValue(token)}, nil},
	} {
		t.Run(name, func(t *testing.T) {
			_, diags := resolveClientOptions(tc.model, env(tc.env), now)
			if len(diags) == 0 {
				t.Fatal("want a diagnostic")
			}
			for _, d := range diags {
				if text := d.Summary() + d.Detail(); strings.Contains(text, key) || strings.Contains(text, token) {
					t.Errorf("a diagnostic holds a credential: %s: %s", d.Summary(), d.Detail())
				}
			}
		})
	}
}
