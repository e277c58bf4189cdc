package provider

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net/url"
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
	envAPI         = "CERBY_API"
	envAPIKey      = "CERBY_API_KEY"
	envBearerToken = "CERBY_BEARER_TOKEN"
	envWorkspace   = "CERBY_WORKSPACE"
	envEndpoint    = "CERBY_ENDPOINT"
	envCAFile      = "CERBY_CA_CERTIFICATE_FILE"

	defaultDuration = "60s"

	// The values of the api attribute.
	apiCerby = "cerby_api"
	apiRead  = "read_api"
)

// providerModel is the provider configuration block.
type providerModel struct {
	API               types.String  `tfsdk:"api"`
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
// required and gives an example. The checks are the same on both APIs; the
// example follows the API the endpoint alone would mean, as `api` and the
// environment are not seen at validate time.
func checkEndpoint(s string) error {
	api, _ := inferAPI(s, true, false, false)
	_, err := client.NormalizeBaseURL(api, s)
	return err
}

// parseAPI reads the api attribute.
func parseAPI(s string) (client.API, error) {
	switch s {
	case apiCerby:
		return client.CerbyAPI, nil
	case apiRead:
		return client.ReadAPI, nil
	}
	return 0, fmt.Errorf("%q is not an API: use %q (the Cerby API, https://<workspace>.cerby.com/api/v1) or %q (the legacy Read API, https://api.cerby.com/v1), "+
		"or leave api out to have it inferred from endpoint, workspace and bearer_token", s, apiCerby, apiRead)
}

func checkAPI(s string) error {
	_, err := parseAPI(s)
	return err
}

// inferAPI is the table of contract/cerby-api.md §1 (decision C1): the API
// a configuration without api means, from the merged settings alone; no
// request is sent to find out. The first matching row wins:
//
//	endpoint whose path ends in /api/v1 (any case)    Cerby API, endpoint
//	endpoint on *.cerby.com, not api.cerby.com        Cerby API, endpoint + /api/v1
//	any other endpoint                                Read API, endpoint
//	no endpoint; workspace set; no bearer token       Cerby API, https://<workspace>.cerby.com/api/v1
//	anything else                                     Read API, https://api.cerby.com
//
// An endpoint that does not parse means the Read API, whose check then
// reports it. why names the row that chose the Cerby API, for messages.
func inferAPI(endpoint string, hasEndpoint, hasWorkspace, hasBearerToken bool) (api client.API, why string) {
	if hasEndpoint {
		u, err := url.Parse(strings.TrimSpace(endpoint))
		if err != nil {
			return client.ReadAPI, ""
		}
		if strings.HasSuffix(strings.ToLower(strings.TrimRight(u.EscapedPath(), "/")), "/api/v1") {
			return client.CerbyAPI, "the endpoint's path ends in /api/v1"
		}
		// A trailing dot names the same host.
		host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
		if strings.HasSuffix(host, ".cerby.com") && host != "api.cerby.com" {
			return client.CerbyAPI, fmt.Sprintf("the endpoint's host %s is a Cerby workspace host", host)
		}
		return client.ReadAPI, ""
	}
	if hasWorkspace && !hasBearerToken {
		return client.CerbyAPI, "workspace is set without endpoint or bearer_token"
	}
	return client.ReadAPI, ""
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
	apiValidator               = stringCheck{fmt.Sprintf("value must be %q or %q", apiCerby, apiRead), checkAPI}
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
	s := settings{
		api:         r.stringValue(m.API, "api", envAPI, checkAPI),
		apiKey:      r.stringValue(m.APIKey, "api_key", envAPIKey, checkCredential),
		bearerToken: r.stringValue(m.BearerToken, "bearer_token", envBearerToken, checkCredential),
		workspace:   r.stringValue(m.Workspace, "workspace", envWorkspace, nil),
		endpoint:    r.stringValue(m.Endpoint, "endpoint", envEndpoint, nil),
		unknown:     m.API.IsUnknown() || m.BearerToken.IsUnknown() || m.Workspace.IsUnknown() || m.Endpoint.IsUnknown(),
	}
	opts := client.Options{
		Workspace:         s.workspace.value,
		PageSize:          int(r.int64Value(m.PageSize, "page_size", client.DefaultPageSize, checkPageSize)),
		PageConcurrency:   int(r.int64Value(m.PageConcurrency, "page_concurrency", client.DefaultPageConcurrency, checkPageConcurrency)),
		MaxRetries:        int(r.int64Value(m.MaxRetries, "max_retries", client.DefaultMaxRetries, checkMaxRetries)),
		MaxRetryWait:      r.durationValue(m.MaxRetryWait, "max_retry_wait"),
		RequestTimeout:    r.durationValue(m.RequestTimeout, "request_timeout"),
		RequestsPerSecond: r.requestsPerSecond(m.RequestsPerSecond),
		ExtraRootCAsPEM:   r.caCertificates(m.CACertificateFile),
	}
	choice := r.chooseAPI(s)
	opts.API = choice.api
	opts.BaseURL = r.baseURL(s, choice)
	opts.APIKey, opts.BearerToken = r.credentials(s, choice, m.APIKey.IsUnknown(), now)
	return opts, r.diags
}

// settings are the attributes that pick the API and its credential, after
// the environment fallback.
type settings struct {
	api, apiKey, bearerToken, workspace, endpoint stringSetting
	unknown                                       bool // one that picks the API is unknown (already reported)
}

// hasWorkspace: an empty workspace (such as a variable defaulting to "")
// counts as none, as it did when it was only a header.
func (s settings) hasWorkspace() bool { return s.workspace.value != "" }

// apiChoice is the API used and why, for messages.
type apiChoice struct {
	api client.API
	// settled is false when api is invalid or something that picks the API
	// is unknown: those errors are reported, and the checks that depend on
	// the API are skipped rather than guessed.
	settled  bool
	inferred bool   // api is not set
	why      string // `api = "cerby_api"`, `CERBY_API=cerby_api`, or inferAPI's reason
}

// because says how the API was chosen, to follow "The Cerby API".
func (c apiChoice) because() string {
	if c.inferred {
		return "inferred because api is not set and " + c.why
	}
	return c.why
}

func (r *configResolver) chooseAPI(s settings) apiChoice {
	if s.api.present {
		api, err := parseAPI(s.api.value)
		if err == nil {
			why := fmt.Sprintf("api = %q", s.api.value)
			if s.api.envVar != "" {
				why = s.api.envVar + "=" + s.api.value
			}
			return apiChoice{api: api, settled: !s.unknown, why: why}
		}
		// Already reported; the endpoint is still checked, for the API it alone means.
		api, _ = inferAPI(s.endpoint.value, s.endpoint.present, false, false)
		return apiChoice{api: api}
	}
	api, why := inferAPI(s.endpoint.value, s.endpoint.present, s.hasWorkspace(), s.bearerToken.present)
	return apiChoice{api: api, settled: !s.unknown, inferred: true, why: why}
}

// baseURL is the endpoint normalized for the API, the Read API's public
// host, or "" on the Cerby API without endpoint: the client derives
// https://<workspace>.cerby.com from the workspace, checked here first.
func (r *configResolver) baseURL(s settings, choice apiChoice) string {
	if s.endpoint.present {
		var normalized string
		r.check(path.Root("endpoint"), s.endpoint.envVar, func() (err error) {
			normalized, err = client.NormalizeBaseURL(choice.api, s.endpoint.value)
			return err
		})
		return normalized
	}
	if choice.api == client.ReadAPI {
		return client.DefaultBaseURL
	}
	if !choice.settled {
		return ""
	}
	if !s.hasWorkspace() {
		addAttributeError(&r.diags, path.Root("workspace"), "Missing workspace for the Cerby API",
			fmt.Sprintf("The Cerby API (%s) has one host per workspace, https://<workspace>.cerby.com. "+
				"Set workspace (or the %s environment variable) to the subdomain of your Cerby web app, such as \"acme\" for https://acme.cerby.com, "+
				"or endpoint (or %s) to the full base URL, such as https://acme.cerby.com/api/v1.",
				choice.because(), envWorkspace, envEndpoint))
		return ""
	}
	r.check(path.Root("workspace"), s.workspace.envVar, func() error {
		_, err := client.WorkspaceBaseURL(s.workspace.value)
		if err != nil && choice.inferred {
			err = fmt.Errorf("%w. The Cerby API, on the workspace's host, was %s; set api = %q (or %s=%s) to send the workspace in the Cerby-Workspace header of the legacy Read API instead",
				err, choice.because(), apiRead, envAPI, apiRead)
		}
		return err
	})
	return ""
}

// credentials picks the credential sent. On the Read API an API key wins
// over a bearer token, with a warning; the Cerby API takes API keys only, so
// a bearer token there is an error even beside a key: the configuration
// says something the provider would not do.
func (r *configResolver) credentials(s settings, choice apiChoice, keyUnknown bool, now time.Time) (apiKey, bearerToken string) {
	key, token := s.apiKey, s.bearerToken
	if choice.api == client.CerbyAPI && choice.settled {
		if token.present {
			r.cerbyAPIBearerTokenError(token, choice)
		}
		if key.present || keyUnknown || token.present {
			return key.value, ""
		}
		r.diags.AddError("Missing Cerby credentials",
			fmt.Sprintf("The Cerby API (%s) takes an API key only: set it with the api_key attribute or the %s environment variable. "+
				"A bearer token works with the legacy Read API only (api = %q).", choice.because(), envAPIKey, apiRead))
		return "", ""
	}
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
	case keyUnknown || s.unknown:
		return "", "" // already reported as unknown
	}
	r.diags.AddError("Missing Cerby credentials",
		fmt.Sprintf("Set an API key with the api_key attribute or the %s environment variable (preferred: keys carry scopes and last up to a year), "+
			"or a bearer token with the bearer_token attribute or the %s environment variable (copied from the Cerby web app, Profile → Dev Tools).",
			envAPIKey, envBearerToken))
	return "", ""
}

func (r *configResolver) cerbyAPIBearerTokenError(token stringSetting, choice apiChoice) {
	detail := fmt.Sprintf("The Cerby API (%s) takes API keys only, not a bearer token. "+
		"Set an API key with the api_key attribute or the %s environment variable instead and remove the bearer token, "+
		"or set api = %q (or %s=%s) to use the bearer token with the legacy Read API.",
		choice.because(), envAPIKey, apiRead, envAPI, apiRead)
	if token.envVar != "" {
		detail += fmt.Sprintf(" (The bearer token came from the %s environment variable.)", token.envVar)
	}
	addAttributeError(&r.diags, path.Root("bearer_token"), "bearer_token is not accepted by the Cerby API", detail)
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
