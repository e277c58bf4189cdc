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
