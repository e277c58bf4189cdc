// Package client is the provider's HTTP client for the Cerby Read API; what
// it sends and accepts is contract/read-api.md at the repository root.
package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Logger receives the client's structured log lines. Fields never contain a
// credential. The provider passes an implementation backed by tflog.
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
	Warn(ctx context.Context, msg string, fields map[string]any)
}

// Options configure a Client. Zero values mean: no credential, no workspace,
// PageSize DefaultPageSize, PageConcurrency DefaultPageConcurrency,
// MaxRetries 0, MaxRetryWait DefaultMaxRetryWait, RequestTimeout
// DefaultRequestTimeout, no rate limit, http.DefaultTransport, no logging.
type Options struct {
	API               API    // ReadAPI (the zero value) or CerbyAPI
	BaseURL           string // Read API: e.g. https://api.cerby.com, a trailing "/" or "/v1" tolerated; Cerby API: e.g. https://acme.cerby.com/api/v1, "/api/v1" optional, default from Workspace
	APIKey            string // sent as X-API-Key; wins over BearerToken
	BearerToken       string // sent as Authorization: Bearer, only without APIKey
	Workspace         string // Read API: sent as Cerby-Workspace when not empty; Cerby API: the host when BaseURL is empty, never sent
	UserAgent         string
	PageSize          int
	PageConcurrency   int           // pages of one listing fetched at once once its total is known; 1 is serial
	MaxRetries        int           // retries after the first attempt
	MaxRetryWait      time.Duration // longest Retry-After honoured
	RequestTimeout    time.Duration // per HTTP attempt
	RequestsPerSecond float64       // 0: no client-side limit
	HTTPClient        *http.Client  // optional; its Transport becomes the innermost layer
	ExtraRootCAsPEM   string        // optional PEM bundle trusted in addition to the system roots
	Logger            Logger        // optional
}

// Client talks to the Read API. It is safe for concurrent use; all data
// sources of one provider instance share one Client, and so share its rate
// limit and its 429 pause.
type Client struct {
	api             API
	gen             generation
	baseURL         string
	pageSize        int
	pageConcurrency int
	maxRetryWait    time.Duration
	secrets         []string // redacted from anything the server echoes back
	usesAPIKey      bool
	log             Logger
	http            *http.Client
	clock           *clock    // replaced by tests so that no test really waits
	pause           pauseGate // shared by every request: one 429 pauses them all
}

// New validates the options and builds the transport chain.
func New(opts Options) (*Client, error) {
	o, err := withDefaults(opts)
	if err != nil {
		return nil, err
	}
	c := &Client{
		api:             o.API,
		baseURL:         o.BaseURL,
		pageSize:        o.PageSize,
		pageConcurrency: o.PageConcurrency,
		maxRetryWait:    o.MaxRetryWait,
		secrets:         nonEmpty(o.APIKey, o.BearerToken),
		usesAPIKey:      o.APIKey != "",
		log:             o.Logger,
		clock:           realClock(),
		gen:             newGeneration(o.API, o.BaseURL, o.PageSize),
	}
	base, err := baseTransport(o)
	if err != nil {
		return nil, err
	}
	c.http = &http.Client{Transport: c.transportChain(o, base), CheckRedirect: c.checkRedirect}
	return c, nil
}

func withDefaults(o Options) (Options, error) {
	base, err := baseURL(o)
	if err != nil {
		return o, err
	}
	o.BaseURL = base
	if o.PageSize == 0 {
		o.PageSize = DefaultPageSize
	}
	if o.PageConcurrency == 0 {
		o.PageConcurrency = DefaultPageConcurrency
	}
	if o.MaxRetryWait == 0 {
		o.MaxRetryWait = DefaultMaxRetryWait
	}
	if o.RequestTimeout == 0 {
		o.RequestTimeout = DefaultRequestTimeout
	}
	if o.Logger == nil {
		o.Logger = nopLogger{}
	}
	return o, validate(o)
}

// baseURL is the normalized BaseURL, or the API's default: the Read API's
// public host, the workspace's host on the Cerby API.
func baseURL(o Options) (string, error) {
	switch {
	case o.API != ReadAPI && o.API != CerbyAPI:
		return "", fmt.Errorf("unknown API %d", o.API)
	case o.BaseURL != "":
		return NormalizeBaseURL(o.API, o.BaseURL)
	case o.API == ReadAPI:
		return DefaultBaseURL, nil
	case o.Workspace == "":
		return "", errors.New("the Cerby API needs a workspace (its host is https://<workspace>.cerby.com) or a base URL")
	}
	return WorkspaceBaseURL(o.Workspace)
}

func validate(o Options) error {
	switch {
	case o.API == CerbyAPI && o.BearerToken != "":
		return errors.New("the Cerby API takes API keys only, not a bearer token: set an API key instead")
	case o.PageSize < 1 || o.PageSize > MaxPageSize:
		return fmt.Errorf("page size must be between 1 and %d, got %d", MaxPageSize, o.PageSize)
	case o.PageConcurrency < 1 || o.PageConcurrency > MaxPageConcurrency:
		return fmt.Errorf("page concurrency must be between 1 and %d, got %d", MaxPageConcurrency, o.PageConcurrency)
	case o.MaxRetries < 0:
		return fmt.Errorf("max retries must be 0 or more, got %d", o.MaxRetries)
	case o.MaxRetryWait < 0:
		return fmt.Errorf("max retry wait must be positive, got %s", o.MaxRetryWait)
	case o.RequestTimeout < 0:
		return fmt.Errorf("request timeout must be positive, got %s", o.RequestTimeout)
	case o.RequestsPerSecond < 0 || math.IsNaN(o.RequestsPerSecond) || math.IsInf(o.RequestsPerSecond, 0):
		return fmt.Errorf("requests per second must be a finite number, 0 or more (0 turns the limit off), got %v", o.RequestsPerSecond)
	}
	// The values are never echoed: they are credentials.
	if !validHeaderValue(o.APIKey) {
		return errors.New("the API key contains spaces or control characters; set it without surrounding whitespace or line breaks")
	}
	if !validHeaderValue(o.BearerToken) {
		return errors.New("the bearer token contains spaces or control characters; set it without the \"Bearer \" prefix and without line breaks")
	}
	if !validHeaderValue(o.Workspace) {
		return fmt.Errorf("workspace %q contains spaces or control characters; set the workspace subdomain only", o.Workspace)
	}
	return nil
}

func validHeaderValue(v string) bool {
	return !strings.ContainsFunc(v, func(r rune) bool { return r <= ' ' || r == 0x7f })
}

func nonEmpty(values ...string) []string {
	var out []string
	for _, v := range values {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

// checkRedirect follows at most 10 redirects, as net/http does, and none to
// a path of the configured origin that allowed refuses: a redirect must not
// reach what no request may (C4). Other origins get no credential
// (authTransport), so where they lead is theirs.
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	base, err := url.Parse(c.baseURL)
	if err == nil && sameOrigin(req.URL, base) && !c.allowed(req.URL) {
		return fmt.Errorf("refused a redirect to %s: the provider only reads the listings and objects it needs", truncate(cleanText(req.URL.EscapedPath()), 120))
	}
	return nil
}

// warn logs what a decoder left null, credentials removed as from errors.
func (c *Client) warn(ctx context.Context, warnings []string) {
	for _, w := range warnings {
		c.log.Warn(ctx, redactCut(w, c.secrets), nil)
	}
}

// API is the API generation the client speaks.
func (c *Client) API() API { return c.api }

// get performs one GET of path (under the base URL) through the transport
// chain and returns the body of a 2xx answer; anything else becomes an
// *APIError.
func (c *Client) get(ctx context.Context, path string, query url.Values, scope string) (string, error) {
	target := c.baseURL + path
	if len(query) > 0 {
		target += "?" + query.Encode()
	}
	return c.getURL(ctx, target, scope)
}

// getURL is get for a full URL, built from the base URL or a followed link.
// Only the read-only paths of allowedPath are ever requested, on the
// configured origin.
func (c *Client) getURL(ctx context.Context, target, scope string) (string, error) {
	u, err := url.Parse(target)
	if err != nil {
		return "", fmt.Errorf("GET %s: %w", target, err)
	}
	pathQuery := strings.TrimPrefix(u.RequestURI(), c.basePath())
	if !c.allowed(u) {
		return "", fmt.Errorf("GET %s: refused: the provider only reads the listings and objects it needs, on %s", pathQuery, c.baseURL)
	}
	ex := &exchange{}
	req, err := http.NewRequestWithContext(withExchange(ctx, ex), http.MethodGet, target, nil)
	if err != nil {
		return "", fmt.Errorf("GET %s: %w", pathQuery, err)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return "", fmt.Errorf("GET %s: %w", pathQuery, unwrapURLError(err))
	}
	defer resp.Body.Close()
	body, err := responseText(resp)
	if err != nil {
		return "", fmt.Errorf("GET %s: %w", pathQuery, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return "", &APIError{
			Method:       http.MethodGet,
			Path:         pathQuery,
			StatusCode:   resp.StatusCode,
			Message:      apiMessage([]byte(body), resp.Header.Get("Content-Type"), c.secrets),
			RequestID:    requestID(resp.Header),
			Attempts:     ex.attempts,
			Scope:        scope,
			api:          c.api,
			apiKey:       c.usesAPIKey,
			refusedWait:  ex.refusedWait,
			guessedWait:  ex.guessedWait,
			maxRetryWait: c.maxRetryWait,
		}
	}
	return body, nil
}

// unwrapURLError drops net/http's `Get "<full url>":` prefix; get names the
// request itself.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

type nopLogger struct{}

func (nopLogger) Debug(context.Context, string, map[string]any) {}
func (nopLogger) Warn(context.Context, string, map[string]any)  {}

// responseText is the body the retry layer has already read in full.
func responseText(resp *http.Response) (string, error) {
	if buffered, ok := resp.Body.(bufferedBody); ok {
		return buffered.text, nil
	}
	body, err := io.ReadAll(resp.Body)
	return string(body), err
}
