package client

// API SURFACE CONTRACT: the provider package is written against the exported
// names in this file and models.go. The implementation lives in the other
// files of this package.

import (
	"errors"
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

	DefaultPageConcurrency = 4
	MaxPageConcurrency     = 16
)

// API key scopes the endpoints need; a missing scope answers 401.
const (
	ScopeReadAccounts = "Read accounts"
	ScopeReadUsers    = "Read users"
	// The Cerby API's own; its docs name them on the endpoints only.
	ScopeReadVaults       = "Read vaults"
	ScopeReadIntegrations = "Read integrations"
)

// ErrNotFound is matched (errors.Is) by an *APIError with status 404.
var ErrNotFound = errors.New("not found")

// ErrNotAdvancing is returned when a page adds no new id: the server is not
// moving forward and the walk stops instead of looping.
var ErrNotAdvancing = errors.New("pagination is not advancing")

// ErrListingChanged is returned when totalResults kept changing while a
// listing was read, however often the walk started over.
var ErrListingChanged = errors.New("the listing kept changing while it was read")

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
	// IncludeMFAStatus asks the Cerby API for each member's MFA status
	// (mfaStatus=true); the Read API has none, and ignores it.
	IncludeMFAStatus bool
}

// API is the generation of Cerby's API a Client speaks, chosen once at New.
type API int

const (
	// ReadAPI is the legacy Read API, https://api.cerby.com/v1
	// (contract/read-api.md).
	ReadAPI API = iota
	// CerbyAPI is the API Cerby documents today, on each workspace's own host,
	// https://<workspace>.cerby.com/api/v1 (contract/cerby-api.md).
	CerbyAPI
)

func (a API) String() string {
	if a == CerbyAPI {
		return "Cerby API"
	}
	return "Read API"
}

// ErrNotOffered is matched (errors.Is) when an endpoint whose existence is
// uncertain answered 404 or 405 although what it belongs to exists: the
// workspace's API does not offer it. It never matches ErrNotFound.
var ErrNotOffered = errors.New("not offered by this API")
