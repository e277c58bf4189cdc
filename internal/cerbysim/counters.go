package cerbysim

import (
	"maps"
	"net/http"
	"slices"
	"sync"
	"time"
)

// Endpoint names used in Counters.ByEndpoint and Request.Endpoint. A path
// neither API has is EndpointUnknown, under either API.
const (
	EndpointAccounts       = "GET /v1/accounts"
	EndpointAccount        = "GET /v1/accounts/{id}"
	EndpointMembers        = "GET /v1/admin/users"
	EndpointMemberAccounts = "GET /v1/users/{id}/accounts"
	EndpointUnknown        = "unknown"

	EndpointCerbyAccounts     = "GET /api/v1/accounts"
	EndpointCerbyAccount      = "GET /api/v1/accounts/{id}"
	EndpointCerbyUsers        = "GET /api/v1/users"
	EndpointCerbyUser         = "GET /api/v1/users/{id}"
	EndpointCerbyUserAccounts = "GET /api/v1/users/{id}/accounts"

	EndpointCerbyTeams            = "GET /api/v1/teams"
	EndpointCerbyTeam             = "GET /api/v1/teams/{id}"
	EndpointCerbyTeamMembers      = "GET /api/v1/teams/{id}/members"
	EndpointCerbyTeamAccounts     = "GET /api/v1/teams/{id}/accounts"
	EndpointCerbyVaults           = "GET /api/v1/vaults"
	EndpointCerbyIntegrations     = "GET /api/v1/integrations"
	EndpointCerbyIntegration      = "GET /api/v1/integrations/{id}"
	EndpointCerbyIntegrationUsers = "GET /api/v1/integrations/{id}/users"
)

// listingEndpoints are the paged endpoints, counted in Counters.Listings.
var listingEndpoints = map[string]bool{
	EndpointAccounts: true, EndpointMembers: true,
	EndpointCerbyAccounts: true, EndpointCerbyUsers: true, EndpointCerbyUserAccounts: true,
	EndpointCerbyTeams: true, EndpointCerbyTeamMembers: true, EndpointCerbyTeamAccounts: true,
	EndpointCerbyVaults: true, EndpointCerbyIntegrations: true, EndpointCerbyIntegrationUsers: true,
}

// Request is one request as the server saw it. Credentials are recorded only
// as present or absent, never by value.
type Request struct {
	Method, Path, RawQuery string
	Endpoint               string
	HasAPIKey              bool      // X-API-Key header sent
	HasAuthorization       bool      // Authorization header sent
	HasWorkspace           bool      // Cerby-Workspace header sent
	Status                 int       // 0 when the connection was dropped
	At                     time.Time // when the status was sent, by Config.Now
}

// Counters is a snapshot of what the server has served.
type Counters struct {
	ByEndpoint map[string]int
	ByStatus   map[int]int
	BySecond   map[int64]int // Unix second → requests
	Listings   int           // requests to the paged endpoints of either API
	Requests   []Request
}

type counterStore struct {
	mu sync.Mutex
	c  Counters
}

func (cs *counterStore) record(req Request, at time.Time) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	req.At = at
	cs.c.ByEndpoint[req.Endpoint]++
	cs.c.ByStatus[req.Status]++
	cs.c.BySecond[at.Unix()]++
	if listingEndpoints[req.Endpoint] {
		cs.c.Listings++
	}
	cs.c.Requests = append(cs.c.Requests, req)
}

func (cs *counterStore) snapshot() Counters {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	return Counters{
		ByEndpoint: maps.Clone(cs.c.ByEndpoint),
		ByStatus:   maps.Clone(cs.c.ByStatus),
		BySecond:   maps.Clone(cs.c.BySecond),
		Listings:   cs.c.Listings,
		Requests:   slices.Clone(cs.c.Requests),
	}
}

func (cs *counterStore) reset() {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	cs.c = emptyCounters()
}

func emptyCounters() Counters {
	return Counters{ByEndpoint: map[string]int{}, ByStatus: map[int]int{}, BySecond: map[int64]int{}}
}

// describe records the request's shape; the status is filled in later.
func describe(r *http.Request, endpoint string) Request {
	return Request{
		Method:           r.Method,
		Path:             r.URL.Path,
		RawQuery:         r.URL.RawQuery,
		Endpoint:         endpoint,
		HasAPIKey:        len(r.Header.Values("X-API-Key")) > 0,
		HasAuthorization: len(r.Header.Values("Authorization")) > 0,
		HasWorkspace:     len(r.Header.Values("Cerby-Workspace")) > 0,
	}
}
