package client

// API SURFACE CONTRACT (skeleton): the provider package is written against the
// exported names in this file and models.go. Bodies marked TODO are replaced by
// the real implementation; signatures must stay as they are.

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// DefaultBaseURL is the public Read API host.
const DefaultBaseURL = "https://api.cerby.com"

// Defaults used by the provider when an attribute is not set.
const (
	DefaultPageSize       = 100
	MaxPageSize           = 100
	DefaultMaxRetries     = 5
	DefaultMaxRetryWait   = 60 * time.Second
	DefaultRequestTimeout = 60 * time.Second
)

// Logger receives the client's structured log lines. Fields never contain a
// credential. The provider passes an implementation backed by tflog.
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
	Warn(ctx context.Context, msg string, fields map[string]any)
}

// Options configure a Client. Zero values mean: no credential, no workspace,
// PageSize DefaultPageSize, MaxRetries 0, MaxRetryWait DefaultMaxRetryWait,
// RequestTimeout DefaultRequestTimeout, no rate limit, http.DefaultTransport,
// no logging.
type Options struct {
	BaseURL           string // e.g. https://api.cerby.com; a trailing "/" or "/v1" is tolerated
	APIKey            string // sent as X-API-Key; wins over BearerToken
	BearerToken       string // sent as Authorization: Bearer, only without APIKey
	Workspace         string // sent as Cerby-Workspace when not empty
	UserAgent         string
	PageSize          int
	MaxRetries        int           // retries after the first attempt
	MaxRetryWait      time.Duration // longest Retry-After honoured
	RequestTimeout    time.Duration // per HTTP attempt
	RequestsPerSecond float64       // 0: no client-side limit
	HTTPClient        *http.Client  // optional; its Transport becomes the innermost layer
	Logger            Logger        // optional
}

// Client talks to the Read API. It is safe for concurrent use; all data
// sources of one provider instance share one Client, and so share its rate
// limit and its 429 pause.
type Client struct {
	opts Options
}

// ErrNotFound is matched (errors.Is) by an *APIError with status 404.
var ErrNotFound = errors.New("not found")

// ErrNotAdvancing is returned when a page adds no new id: the server is not
// moving forward and the walk stops instead of looping.
var ErrNotAdvancing = errors.New("pagination is not advancing")

// APIError is a non-2xx answer after retries.
type APIError struct {
	Method     string
	Path       string // path and query as requested, never with credentials
	StatusCode int
	Message    string // most specific message found in the body
	RequestID  string // from a request-id response header, if any
	Attempts   int
	Scope      string // API scope the endpoint needs, e.g. "Read accounts"
}

func (e *APIError) Error() string { return "TODO" }

// Is makes errors.Is(err, ErrNotFound) true for a 404.
func (e *APIError) Is(target error) bool {
	return target == ErrNotFound && e.StatusCode == http.StatusNotFound
}

// AccountFilter maps to the query parameters of GET /v1/accounts.
type AccountFilter struct {
	Search       string
	Status       string
	Type         string
	Role         string
	Applications []string // sent as provider=, one listing per value, merged by id
	IDs          []string // sent as ids= (csv)
	MaxItems     int      // 0: no limit; otherwise stop once this many were read
}

// UserFilter maps to the query parameters of GET /v1/admin/users.
type UserFilter struct {
	Search    string
	Statuses  []string // sent as status= (csv)
	UserIDs   []string // sent as userIds= (csv)
	IsGuest   *bool
	OnlyInIdP *bool
	MaxItems  int
}

// New validates the options and builds the transport chain.
func New(opts Options) (*Client, error) { return &Client{opts: opts}, errors.New("TODO") }

// ListAccounts walks every page of GET /v1/accounts. Truncated is true when
// MaxItems stopped the walk early. Order: as received, deduplicated by id.
func (c *Client) ListAccounts(ctx context.Context, f AccountFilter) (accounts []Account, truncated bool, err error) {
	return nil, false, errors.New("TODO")
}

// GetAccount reads GET /v1/accounts/{id}; a 404 matches ErrNotFound.
func (c *Client) GetAccount(ctx context.Context, id string) (*Account, error) {
	return nil, errors.New("TODO")
}

// ListUsers walks every page of GET /v1/admin/users.
func (c *Client) ListUsers(ctx context.Context, f UserFilter) (members []Member, truncated bool, err error) {
	return nil, false, errors.New("TODO")
}

// ListUserAccounts reads GET /v1/users/{id}/accounts (not paginated); a 404
// matches ErrNotFound.
func (c *Client) ListUserAccounts(ctx context.Context, userID string) ([]Account, error) {
	return nil, errors.New("TODO")
}
