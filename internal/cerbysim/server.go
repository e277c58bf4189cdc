package cerbysim

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Config sets up a Server. With neither APIKey nor BearerToken set, every
// request is accepted.
type Config struct {
	APIKey      string
	BearerToken string
	// RequireWorkspace, when set, is the Cerby-Workspace value every request
	// must carry.
	RequireWorkspace string
	Faults           Faults
	// Log receives one line per request; nil logs nothing.
	Log io.Writer
	// LogArrival starts each log line with the Unix time in microseconds
	// the request arrived, for counting requests per second.
	LogArrival bool
	// Now is the clock for the rate limit, Counters.BySecond and Retry-After
	// dates; time.Now when nil. Tests set it to avoid real waits.
	Now func() time.Time
	// CerbyAPI tunes the Cerby API served under CerbyAPIPrefix.
	CerbyAPI CerbyAPIOptions
}

// CerbyAPIOptions tunes the Cerby API side of a Server. The zero value serves
// every endpoint with the default error style.
type CerbyAPIOptions struct {
	// Errors picks the shape of its error bodies.
	Errors ErrorStyle
	// UserAccounts says how GET /api/v1/users/{id}/accounts answers. Only a
	// third party reports that endpoint, so a provider must cope with a
	// workspace whose Cerby API lacks it.
	UserAccounts UserAccountsMode
	// TeamMembers and TeamAccounts say how GET /api/v1/teams/{id}/members
	// and /teams/{id}/accounts answer: only release notes announce them, so
	// a workspace's API may not offer them (404 or 405, whatever the team).
	TeamMembers  ListingMode
	TeamAccounts ListingMode
	// IntegrationUsers says how GET /api/v1/integrations/{id}/users answers,
	// for an integration that exists too (V1 spells the path /user).
	IntegrationUsers ListingMode
	// OwnerOnly serves on /accounts and /accounts/{id} only the accounts
	// the key's owner holds the Owner role on, as the real API does, the
	// others being 404 by id. The simulator's key has no owner of its own,
	// so it is the Read API's caller: an account qualifies when its Read API
	// "role" (the caller's role on it) is "owner" or "account_owner". Off,
	// every account is served, so both APIs list the same accounts.
	OwnerOnly bool
	// Scopes are the key's scopes, by the machine names of Cerby's 2025
	// OpenAPI file (the Scope constants); an endpoint needing one the key
	// lacks answers 401, as Cerby documents. nil gives the key every scope;
	// an empty list, none.
	Scopes []string
}

// The scopes the Cerby API's read endpoints need (contract/cerby-api.md,
// §3.1): accounts need Read accounts or Read items; users need Read users; a
// member's accounts, whose scope is not documented, need both; teams and
// their members need Read users (or Read teams, a name some workspaces
// have), a team's accounts Read accounts too; vaults need Read vaults;
// integrations Read integrations, and their seats Read users too.
// ScopeReadVaults and ScopeReadTeams are display names with no machine name
// published; these are ours, in the same pattern.
const (
	ScopeReadAccounts     = "read:items:accounts"
	ScopeReadItems        = "read:items"
	ScopeReadUsers        = "read:users"
	ScopeReadTeams        = "read:teams"
	ScopeReadVaults       = "read:vaults"
	ScopeReadIntegrations = "read:integrations"
)

// ListingMode is how the Cerby API answers a listing a workspace's API may
// not offer.
type ListingMode string

const (
	ListingServed     ListingMode = ""    // served, paged like any listing
	ListingNotFound   ListingMode = "404" // 404, as a path the API does not have
	ListingNotAllowed ListingMode = "405" // 405 with Allow: POST, as a path that exists for writing only
)

// ListingModes lists the valid modes, the default first.
var ListingModes = []ListingMode{ListingServed, ListingNotFound, ListingNotAllowed}

// UserAccountsMode is the ListingMode of a member's accounts, by its first
// name.
type UserAccountsMode = ListingMode

// The UserAccountsMode values, by their first names.
const (
	UserAccountsServed     = ListingServed
	UserAccountsNotFound   = ListingNotFound
	UserAccountsNotAllowed = ListingNotAllowed
)

// UserAccountsModes lists the valid modes, the default first.
var UserAccountsModes = ListingModes

// Validate reports options that cannot be honoured.
func (o CerbyAPIOptions) Validate() error {
	var errs []error
	if !o.Errors.valid() {
		errs = append(errs, fmt.Errorf("CerbyAPI.Errors must be one of %q, got %q", ErrorStyles, o.Errors))
	}
	for _, m := range []struct {
		name string
		mode ListingMode
	}{{"UserAccounts", o.UserAccounts}, {"TeamMembers", o.TeamMembers}, {"TeamAccounts", o.TeamAccounts}, {"IntegrationUsers", o.IntegrationUsers}} {
		if !slices.Contains(ListingModes, m.mode) {
			errs = append(errs, fmt.Errorf("CerbyAPI.%s must be one of %q, got %q", m.name, ListingModes, m.mode))
		}
	}
	return errors.Join(errs...)
}

// Server serves a Workspace over the Read API (under /v1) and the Cerby API
// (under CerbyAPIPrefix) at once. It is an http.Handler and can also listen
// by itself (Start).
type Server struct {
	cfg      Config
	state    *state
	setupErr error // a workspace that cannot be served; every request says so
	seq      atomic.Uint64
	counters counterStore
	rate     rateWindow
	changes  changeGate
	logMu    sync.Mutex

	httpMu  sync.Mutex
	httpSrv *http.Server
}

// New encodes every object of ws once; later changes to ws are not seen.
// A workspace that fails Validate, or CerbyAPI options that fail theirs, are
// not served: every request answers 500 naming the problem, and Err returns
// it.
func New(ws *Workspace, cfg Config) *Server {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{cfg: cfg, counters: counterStore{c: emptyCounters()}}
	s.state, s.setupErr = newState(ws, cfg.Faults.Seed)
	if err := cfg.CerbyAPI.Validate(); err != nil && s.setupErr == nil {
		// Served in the default style, since the one asked for is unknown.
		s.cfg.CerbyAPI = CerbyAPIOptions{}
		s.setupErr = err
	}
	return s
}

// Err reports why the workspace given to New cannot be served, if it cannot.
func (s *Server) Err() error { return s.setupErr }

// Start listens on addr (127.0.0.1:0 when empty) and serves in the
// background. It returns the base URL to give Read API clients; the Cerby
// API's base URL is that plus CerbyAPIPrefix.
func (s *Server) Start(addr string) (string, error) {
	s.httpMu.Lock()
	defer s.httpMu.Unlock()
	if s.httpSrv != nil {
		return "", errors.New("cerbysim: server already started")
	}
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", err
	}
	s.httpSrv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.httpSrv.Serve(ln) }()
	return "http://" + ln.Addr().String(), nil
}

// Close stops a started server at once, closing open connections.
func (s *Server) Close() error {
	s.httpMu.Lock()
	defer s.httpMu.Unlock()
	if s.httpSrv == nil {
		return nil
	}
	return s.httpSrv.Close()
}

// Shutdown stops a started server after in-flight requests finish or ctx ends.
func (s *Server) Shutdown(ctx context.Context) error {
	s.httpMu.Lock()
	defer s.httpMu.Unlock()
	if s.httpSrv == nil {
		return nil
	}
	return s.httpSrv.Shutdown(ctx)
}

// Counters returns a snapshot of what has been served so far.
func (s *Server) Counters() Counters { return s.counters.snapshot() }

// ResetCounters forgets every request served so far.
func (s *Server) ResetCounters() { s.counters.reset() }

// AccountIDs lists the accounts currently served, in order; it differs from
// the workspace's after InsertBetweenPages or RemoveBetweenPages acted.
func (s *Server) AccountIDs() []string {
	if s.state == nil {
		return nil
	}
	return s.state.accountIDs()
}

// MemberIDs is AccountIDs for members.
func (s *Server) MemberIDs() []string {
	if s.state == nil {
		return nil
	}
	return s.state.memberIDs()
}

// ServeHTTP answers one request, records it and logs it. Recording happens
// as the status is sent, before the body, so a client that has its response
// always finds it in Counters.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	began := time.Now()
	seq := s.seq.Add(1)
	rt := route(r.URL.EscapedPath())
	rec := &recorder{ResponseWriter: w, settled: func(status int) {
		seen := describe(r, rt.endpoint)
		seen.Status = status
		s.counters.record(seen, s.cfg.Now())
		s.logRequest(r, status, began)
	}}
	rec.Header().Set("X-Request-Id", fmt.Sprintf("sim-%08d", seq))

	s.serve(rec, r, seq, rt)
	// Nothing was sent when the client left during the latency fault.
	rec.settle(0)
}

// serve is the layer both APIs share: every fault acts here, in front of
// either API's routes, and only the wording of an error depends on the API.
func (s *Server) serve(w *recorder, r *http.Request, seq uint64, rt routed) {
	if !s.delay(r) {
		return
	}
	f := s.cfg.Faults
	roll := f.rollFor(seq)
	switch {
	case s.setupErr != nil:
		s.fail(w, rt.api, apiError{status: http.StatusInternalServerError, detail: "cerbysim cannot serve this workspace: " + s.setupErr.Error()})
	case roll.drop:
		dropConnection(w)
	case f.RateLimitPerSecond > 0 && !s.rate.admit(s.cfg.Now(), f.RateLimitPerSecond):
		w.Header().Set("Retry-After", "1")
		s.fail(w, rt.api, apiError{status: http.StatusTooManyRequests, legacy: legacyMessage,
			detail: fmt.Sprintf("Rate limit of %d requests per second exceeded.", f.RateLimitPerSecond)})
	case roll.tooMany:
		if after := f.retryAfter(s.cfg.Now()); after != "" {
			w.Header().Set("Retry-After", after)
		}
		s.fail(w, rt.api, apiError{status: http.StatusTooManyRequests, legacy: legacyMessage, detail: "Too many requests, slow down."})
	case roll.serverError && roll.html:
		writeHTML(w, roll.status)
	case roll.serverError:
		s.fail(w, rt.api, apiError{status: roll.status, detail: "The service is temporarily unavailable."})
	case r.Method != http.MethodGet:
		w.Header().Set("Allow", http.MethodGet)
		s.fail(w, rt.api, apiError{status: http.StatusMethodNotAllowed, legacy: legacyMessage,
			detail: fmt.Sprintf("Method %s is not allowed: the %s only answers GET.", r.Method, rt.api)})
	case s.admitted(w, r, rt.api):
		s.dispatch(w, r, rt)
	}
}

// delay waits out the Latency fault; false when the client left meanwhile.
func (s *Server) delay(r *http.Request) bool {
	if s.cfg.Faults.Latency <= 0 {
		return true
	}
	timer := time.NewTimer(s.cfg.Faults.Latency)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

func dropConnection(w *recorder) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		writeDetail(w, http.StatusInternalServerError, "cerbysim could not drop the connection: "+err.Error())
		return
	}
	w.settle(0)
	_ = conn.Close()
}

// admitted checks credentials, then (on the Read API) the workspace header,
// answering the request itself when either fails. The Cerby API picks the
// workspace by host name, which a simulator on a loopback address cannot
// see, so it ignores Cerby-Workspace.
func (s *Server) admitted(w http.ResponseWriter, r *http.Request, a api) bool {
	if detail, ok := s.authenticate(r, a); !ok {
		s.fail(w, a, apiError{status: http.StatusUnauthorized, code: "unauthorized", detail: detail, legacy: legacyErrorsStrings})
		return false
	}
	want := s.cfg.RequireWorkspace
	if want == "" || a == cerbyAPI {
		return true
	}
	got := r.Header.Values("Cerby-Workspace")
	switch {
	case len(got) == 0:
		writeErrors(w, http.StatusBadRequest, "missing_workspace", "This request needs a Cerby-Workspace header naming the workspace subdomain.", false)
		return false
	case got[0] != want:
		writeErrors(w, http.StatusForbidden, "forbidden", fmt.Sprintf("Cerby-Workspace %q is not a workspace this credential can read.", got[0]), false)
		return false
	}
	return true
}

// authenticate follows the documented precedence: an X-API-Key header (its
// name in any case) decides alone; only without one is the bearer token
// consulted, and the Cerby API, which takes API keys only, refuses any bearer
// token, even on a server configured with no credential.
func (s *Server) authenticate(r *http.Request, a api) (detail string, ok bool) {
	auth := r.Header.Get("Authorization")
	keys := r.Header.Values("X-API-Key")
	if s.cfg.APIKey == "" && s.cfg.BearerToken == "" && (a == readAPI || len(keys) > 0 || auth == "") {
		return "", true
	}
	if len(keys) > 0 {
		if sameSecret(keys[0], s.cfg.APIKey) {
			return "", true
		}
		return "The API key is invalid or expired, or lacks the scope this endpoint needs.", false
	}
	if a == cerbyAPI {
		if auth != "" {
			return "The Cerby API accepts only an API key in X-API-Key; an Authorization header is not a credential here.", false
		}
		return "No credential: send an API key in X-API-Key.", false
	}
	if auth != "" {
		const scheme = "Bearer "
		if len(auth) > len(scheme) && strings.EqualFold(auth[:len(scheme)], scheme) && sameSecret(auth[len(scheme):], s.cfg.BearerToken) {
			return "", true
		}
		return "The bearer token is invalid or expired.", false
	}
	return "No credential: send an API key in X-API-Key or a token in Authorization: Bearer.", false
}

func sameSecret(got, want string) bool {
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// CerbyAPIPrefix is where the Cerby API is served: its base URL is the
// server's plus this.
const CerbyAPIPrefix = "/api/v1"

// api is which of the two APIs a request is for.
type api int

const (
	readAPI  api = iota // the legacy Read API, /v1/…
	cerbyAPI            // the Cerby API, /api/v1/…
)

func (a api) String() string {
	if a == cerbyAPI {
		return "Cerby API"
	}
	return "Read API"
}

// routed is where a request goes: its API, the endpoint and the id the path
// carries.
type routed struct {
	api          api
	endpoint, id string
}

// route names the endpoint an escaped path belongs to and the id it
// carries, so an id with an escaped "/" stays one segment. Any path under
// CerbyAPIPrefix is the Cerby API's, known or not, so that its errors come
// in that API's words.
func route(escapedPath string) routed {
	if rest, ok := strings.CutPrefix(escapedPath, CerbyAPIPrefix); ok && (rest == "" || rest[0] == '/') {
		return routeCerby(rest)
	}
	switch escapedPath {
	case "/v1/accounts":
		return routed{endpoint: EndpointAccounts}
	case "/v1/admin/users":
		return routed{endpoint: EndpointMembers}
	}
	parts := strings.Split(escapedPath, "/")
	switch {
	case len(parts) == 4 && parts[1] == "v1" && parts[2] == "accounts":
		return withID(readAPI, EndpointAccount, parts[3])
	case len(parts) == 5 && parts[1] == "v1" && parts[2] == "users" && parts[4] == "accounts":
		return withID(readAPI, EndpointMemberAccounts, parts[3])
	}
	return routed{endpoint: EndpointUnknown}
}

// routeCerby routes the part of a Cerby API path after CerbyAPIPrefix.
func routeCerby(rest string) routed {
	switch rest {
	case "/accounts":
		return routed{api: cerbyAPI, endpoint: EndpointCerbyAccounts}
	case "/users":
		return routed{api: cerbyAPI, endpoint: EndpointCerbyUsers}
	case "/teams":
		return routed{api: cerbyAPI, endpoint: EndpointCerbyTeams}
	case "/vaults":
		return routed{api: cerbyAPI, endpoint: EndpointCerbyVaults}
	case "/integrations":
		return routed{api: cerbyAPI, endpoint: EndpointCerbyIntegrations}
	}
	var shape string
	switch parts := strings.Split(rest, "/"); len(parts) {
	case 3:
		shape = parts[1]
	case 4:
		shape = parts[1] + "/{id}/" + parts[3]
	}
	if endpoint, ok := cerbyByID[shape]; ok {
		return withID(cerbyAPI, endpoint, strings.Split(rest, "/")[2])
	}
	return routed{api: cerbyAPI, endpoint: EndpointUnknown}
}

// cerbyByID names the Cerby API's endpoints whose path carries an id, by
// the path's other segments around "{id}".
var cerbyByID = map[string]string{
	"accounts":                EndpointCerbyAccount,
	"users":                   EndpointCerbyUser,
	"users/{id}/accounts":     EndpointCerbyUserAccounts,
	"teams":                   EndpointCerbyTeam,
	"teams/{id}/members":      EndpointCerbyTeamMembers,
	"teams/{id}/accounts":     EndpointCerbyTeamAccounts,
	"integrations":            EndpointCerbyIntegration,
	"integrations/{id}/users": EndpointCerbyIntegrationUsers,
}

func withID(a api, endpoint, segment string) routed {
	id, err := url.PathUnescape(segment)
	if err != nil || id == "" {
		return routed{api: a, endpoint: EndpointUnknown}
	}
	return routed{api: a, endpoint: endpoint, id: id}
}

// logRequest writes method, path and query, status and duration; headers,
// and so credentials, are never logged.
func (s *Server) logRequest(r *http.Request, status int, began time.Time) {
	if s.cfg.Log == nil {
		return
	}
	line := fmt.Sprintf("%s %s %d %s\n", r.Method, r.URL.RequestURI(), status, time.Since(began).Round(time.Microsecond))
	if s.cfg.LogArrival {
		line = fmt.Sprintf("%d %s", began.UnixMicro(), line)
	}
	s.logMu.Lock()
	defer s.logMu.Unlock()
	_, _ = io.WriteString(s.cfg.Log, line)
}

// recorder reports the status once, when it is sent; 0 means no response.
type recorder struct {
	http.ResponseWriter
	settled func(status int)
	done    bool
}

func (rec *recorder) settle(status int) {
	if !rec.done {
		rec.done = true
		rec.settled(status)
	}
}

func (rec *recorder) WriteHeader(status int) {
	rec.settle(status)
	rec.ResponseWriter.WriteHeader(status)
}

func (rec *recorder) Write(b []byte) (int, error) {
	rec.settle(http.StatusOK)
	return rec.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection to drop it.
func (rec *recorder) Unwrap() http.ResponseWriter { return rec.ResponseWriter }
