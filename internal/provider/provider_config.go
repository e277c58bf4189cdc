package provider

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
	"unicode"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cerby-community/terraform-provider-cerby/internal/client"
)

const (
	envAPIKey      = "CERBY_API_KEY"
	envBearerToken = "CERBY_BEARER_TOKEN"
	envWorkspace   = "CERBY_WORKSPACE"
	envEndpoint    = "CERBY_ENDPOINT"
	envCAFile      = "CERBY_CA_CERTIFICATE_FILE"

	defaultDuration = "60s"
)

// providerModel is the provider configuration block.
type providerModel struct {
	APIKey            types.String  `tfsdk:"api_key"`
	BearerToken       types.String  `tfsdk:"bearer_token"`
	Workspace         types.String  `tfsdk:"workspace"`
	Endpoint          types.String  `tfsdk:"endpoint"`
	PageSize          types.Int64   `tfsdk:"page_size"`
	PageConcurrency   types.Int64   `tfsdk:"page_concurrency"`
	MaxRetries        types.Int64   `tfsdk:"max_retries"`
	MaxRetryWait      types.String  `tfsdk:"max_retry_wait"`
	RequestTimeout    types.String  `tfsdk:"request_timeout"`
	RequestsPerSecond types.Float64 `tfsdk:"requests_per_second"`
	CACertificateFile types.String  `tfsdk:"ca_certificate_file"`
}

// checkCredential never quotes the value: it is a secret.
func checkCredential(s string) error {
	switch {
	case s == "":
		return errors.New("the value is empty: set the credential or leave the attribute out")
	case strings.TrimFunc(s, unicode.IsSpace) != s:
		return errors.New("the value starts or ends with whitespace (often a newline copied along with it): remove it")
	}
	return nil
}

// checkBearerTokenExpiry reports a JWT whose exp claim is past; an opaque
// token cannot be checked and is left to the server.
func checkBearerTokenExpiry(token string, now time.Time) error {
	exp, ok := client.BearerTokenExpiry(token)
	if !ok || exp.After(now) {
		return nil
	}
	return fmt.Errorf("the bearer token expired at %s (%s ago). Bearer tokens are short-lived: copy a new one from the Cerby web app (Profile → Dev Tools), or use an API key (api_key or %s) instead",
		exp.UTC().Format(time.RFC3339), now.Sub(exp).Round(time.Second), envAPIKey)
}

// checkEndpoint relies on the client's message, which already says HTTPS is
// required and gives an example.
func checkEndpoint(s string) error {
	_, err := client.NormalizeBaseURL(client.ReadAPI, s)
	return err
}

// readCACertificates returns the bundle at file once every CERTIFICATE block
// in it parses and there is at least one.
func readCACertificates(file string) (string, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("cannot read the CA certificate file: %w", err)
	}
	found := 0
	for block, rest := pem.Decode(data); block != nil; block, rest = pem.Decode(rest) {
		if block.Type != "CERTIFICATE" {
			continue
		}
		if _, err := x509.ParseCertificate(block.Bytes); err != nil {
			return "", fmt.Errorf("certificate %d in %s cannot be parsed: %w", found+1, file, err)
		}
		found++
	}
	if found == 0 {
		return "", fmt.Errorf("%s holds no PEM certificate (a block starting with -----BEGIN CERTIFICATE-----): give the CA certificate of your TLS-inspecting proxy in PEM format", file)
	}
	return string(data), nil
}

func checkCACertificateFile(file string) error {
	_, err := readCACertificates(file)
	return err
}

func parsePositiveDuration(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration: use a number with a unit, such as \"30s\", \"2m\" or \"1m30s\"", s)
	}
	if d <= 0 {
		return 0, fmt.Errorf("%q must be longer than zero, such as \"30s\" or \"2m\"", s)
	}
	return d, nil
}

func checkDuration(s string) error {
	_, err := parsePositiveDuration(s)
	return err
}

func checkPageSize(n int64) error {
	return checkBetween(n, 1, client.MaxPageSize)
}

func checkPageConcurrency(n int64) error {
	return checkBetween(n, 1, client.MaxPageConcurrency)
}

func checkBetween(n, low, high int64) error {
	if n < low || n > high {
		return fmt.Errorf("must be between %d and %d, got %d", low, high, n)
	}
	return nil
}

func checkMaxRetries(n int64) error {
	if n < 0 {
		return fmt.Errorf("must be 0 (no retry) or more, got %d", n)
	}
	return nil
}

func checkRequestsPerSecond(f float64) error {
	if !(f > 0) {
		return fmt.Errorf("must be greater than zero, such as 1 or 0.5; leave it out for no client-side limit, got %v", f)
	}
	return nil
}

var (
	credentialValidator        = stringCheck{"value must be non-empty without surrounding whitespace", checkCredential}
	endpointValidator          = stringCheck{"value must be an https URL (http only for loopback hosts)", checkEndpoint}
	caCertificateFileValidator = stringCheck{"value must name a readable PEM file with at least one certificate", checkCACertificateFile}
	durationValidator          = stringCheck{"value must be a positive Go duration such as \"30s\"", checkDuration}
	pageSizeValidator          = int64Check{fmt.Sprintf("value must be between 1 and %d", client.MaxPageSize), checkPageSize}
	pageConcurrencyValidator   = int64Check{fmt.Sprintf("value must be between 1 and %d", client.MaxPageConcurrency), checkPageConcurrency}
	maxRetriesValidator        = int64Check{"value must be at least 0", checkMaxRetries}
	requestsPerSecondValidator = float64Check{"value must be greater than zero", checkRequestsPerSecond}
)

// configResolver merges configuration with the environment and repeats the
// attribute checks on the merged values, reporting each problem on its
// attribute. getenv is injected so that the merge is testable.
type configResolver struct {
	getenv func(string) string
	diags  diag.Diagnostics
}

// stringSetting is a string attribute after the environment fallback.
type stringSetting struct {
	value   string
	present bool   // set in configuration or (non-empty) in the environment
	envVar  string // the variable it came from, when it did
}

func (s stringSetting) source(attribute string) string {
	if s.envVar != "" {
		return s.envVar
	}
	return attribute
}

// resolveClientOptions turns the provider configuration and the environment
// into client options (configuration wins), with every problem reported.
func resolveClientOptions(m providerModel, getenv func(string) string, now time.Time) (client.Options, diag.Diagnostics) {
	r := &configResolver{getenv: getenv}
	opts := client.Options{
		Workspace:         r.stringValue(m.Workspace, "workspace", envWorkspace, nil).value,
		PageSize:          int(r.int64Value(m.PageSize, "page_size", client.DefaultPageSize, checkPageSize)),
		PageConcurrency:   int(r.int64Value(m.PageConcurrency, "page_concurrency", client.DefaultPageConcurrency, checkPageConcurrency)),
		MaxRetries:        int(r.int64Value(m.MaxRetries, "max_retries", client.DefaultMaxRetries, checkMaxRetries)),
		MaxRetryWait:      r.durationValue(m.MaxRetryWait, "max_retry_wait"),
		RequestTimeout:    r.durationValue(m.RequestTimeout, "request_timeout"),
		RequestsPerSecond: r.requestsPerSecond(m.RequestsPerSecond),
		BaseURL:           r.endpoint(m.Endpoint),
		ExtraRootCAsPEM:   r.caCertificates(m.CACertificateFile),
	}
	opts.APIKey, opts.BearerToken = r.credentials(m, now)
	return opts, r.diags
}

func (r *configResolver) credentials(m providerModel, now time.Time) (apiKey, bearerToken string) {
	key := r.stringValue(m.APIKey, "api_key", envAPIKey, checkCredential)
	token := r.stringValue(m.BearerToken, "bearer_token", envBearerToken, checkCredential)
	switch {
	case key.present && token.present:
		r.diags.AddWarning("Bearer token ignored", // on no attribute: see addAttributeError
			fmt.Sprintf("Both an API key (from %s) and a bearer token (from %s) are set. The provider sends only the API key; remove one of them to silence this warning.",
				key.source("api_key"), token.source("bearer_token")))
		return key.value, ""
	case key.present:
		return key.value, ""
	case token.present:
		r.check(path.Root("bearer_token"), token.envVar, func() error { return checkBearerTokenExpiry(token.value, now) })
		return "", token.value
	case m.APIKey.IsUnknown() || m.BearerToken.IsUnknown():
		return "", "" // already reported as unknown
	}
	r.diags.AddError("Missing Cerby credentials",
		fmt.Sprintf("Set an API key with the api_key attribute or the %s environment variable (preferred: keys carry scopes and last up to a year), "+
			"or a bearer token with the bearer_token attribute or the %s environment variable (copied from the Cerby web app, Profile → Dev Tools).",
			envAPIKey, envBearerToken))
	return "", ""
}

func (r *configResolver) endpoint(v types.String) string {
	s := r.stringValue(v, "endpoint", envEndpoint, nil)
	if !s.present {
		return client.DefaultBaseURL
	}
	var normalized string
	r.check(path.Root("endpoint"), s.envVar, func() (err error) {
		normalized, err = client.NormalizeBaseURL(client.ReadAPI, s.value)
		return err
	})
	return normalized
}

func (r *configResolver) caCertificates(v types.String) string {
	s := r.stringValue(v, "ca_certificate_file", envCAFile, nil)
	if !s.present {
		return ""
	}
	var bundle string
	r.check(path.Root("ca_certificate_file"), s.envVar, func() (err error) {
		bundle, err = readCACertificates(s.value)
		return err
	})
	return bundle
}

// stringValue reads an attribute, falling back to envVar (if any) when the
// attribute is null, and runs check (if any) on the result.
func (r *configResolver) stringValue(v types.String, attribute, envVar string, check func(string) error) stringSetting {
	var s stringSetting
	switch {
	case r.unknown(v.IsUnknown(), attribute):
		return s
	case !v.IsNull():
		s = stringSetting{value: v.ValueString(), present: true}
	case envVar != "" && r.getenv(envVar) != "":
		s = stringSetting{value: r.getenv(envVar), present: true, envVar: envVar}
	default:
		return s
	}
	if check != nil {
		r.check(path.Root(attribute), s.envVar, func() error { return check(s.value) })
	}
	return s
}

func (r *configResolver) int64Value(v types.Int64, attribute string, fallback int64, check func(int64) error) int64 {
	if r.unknown(v.IsUnknown(), attribute) || v.IsNull() {
		return fallback
	}
	r.check(path.Root(attribute), "", func() error { return check(v.ValueInt64()) })
	return v.ValueInt64()
}

func (r *configResolver) durationValue(v types.String, attribute string) time.Duration {
	s := r.stringValue(v, attribute, "", nil)
	if !s.present {
		s.value = defaultDuration
	}
	var d time.Duration
	r.check(path.Root(attribute), "", func() (err error) {
		d, err = parsePositiveDuration(s.value)
		return err
	})
	return d
}

func (r *configResolver) requestsPerSecond(v types.Float64) float64 {
	if r.unknown(v.IsUnknown(), "requests_per_second") || v.IsNull() {
		return 0
	}
	r.check(path.Root("requests_per_second"), "", func() error { return checkRequestsPerSecond(v.ValueFloat64()) })
	return v.ValueFloat64()
}

func (r *configResolver) unknown(isUnknown bool, attribute string) bool {
	if isUnknown {
		addAttributeError(&r.diags, path.Root(attribute), "Unknown value for "+attribute,
			fmt.Sprintf("The provider needs %s before it can read any data, but its value is not known yet (it depends on something not yet created). "+
				"Use a value known at plan time, or create its dependencies first with -target.", attribute))
	}
	return isUnknown
}

// check reports a failed check on its attribute, naming the environment
// variable when the value came from there.
func (r *configResolver) check(at path.Path, envVar string, check func() error) {
	err := check()
	if err != nil && envVar != "" {
		err = fmt.Errorf("%w (The value came from the %s environment variable.)", err, envVar)
	}
	addCheckError(&r.diags, at, err)
}
