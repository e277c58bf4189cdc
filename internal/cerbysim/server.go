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
}

// Server serves a Workspace over the Read API. It is an http.Handler and can
// also listen by itself (Start).
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
// A workspace that fails Validate is not served: every request answers 500
// naming the problem, and Err returns it.
func New(ws *Workspace, cfg Config) *Server {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{cfg: cfg, counters: counterStore{c: emptyCounters()}}
	s.state, s.setupErr = newState(ws, cfg.Faults.Seed)
	return s
}

// Err reports why the workspace given to New cannot be served, if it cannot.
func (s *Server) Err() error { return s.setupErr }

// Start listens on addr (127.0.0.1:0 when empty) and serves in the
// background. It returns the base URL to give clients.
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
	endpoint, id := route(r.URL.EscapedPath())
	rec := &recorder{ResponseWriter: w, settled: func(status int) {
		seen := describe(r, endpoint)
		seen.Status = status
		s.counters.record(seen, s.cfg.Now())
		s.logRequest(r, status, began)
	}}
	rec.Header().Set("X-Request-Id", fmt.Sprintf("sim-%08d", seq))

	s.serve(rec, r, seq, endpoint, id)
	// Nothing was sent when the client left during the latency fault.
	rec.settle(0)
}

func (s *Server) serve(w *recorder, r *http.Request, seq uint64, endpoint, id string) {
	if !s.delay(r) {
		return
	}
	f := s.cfg.Faults
	roll := f.rollFor(seq)
	switch {
	case s.setupErr != nil:
		writeDetail(w, http.StatusInternalServerError, "cerbysim cannot serve this workspace: "+s.setupErr.Error())
	case roll.drop:
		dropConnection(w)
	case f.RateLimitPerSecond > 0 && !s.rate.admit(s.cfg.Now(), f.RateLimitPerSecond):
		w.Header().Set("Retry-After", "1")
		writeMessage(w, http.StatusTooManyRequests, fmt.Sprintf("Rate limit of %d requests per second exceeded.", f.RateLimitPerSecond))
	case roll.tooMany:
		if after := f.retryAfter(s.cfg.Now()); after != "" {
			w.Header().Set("Retry-After", after)
		}
		writeMessage(w, http.StatusTooManyRequests, "Too many requests, slow down.")
	case roll.serverError && roll.html:
		writeHTML(w, roll.status)
	case roll.serverError:
		writeDetail(w, roll.status, "The service is temporarily unavailable.")
	case r.Method != http.MethodGet:
		w.Header().Set("Allow", http.MethodGet)
		writeMessage(w, http.StatusMethodNotAllowed, fmt.Sprintf("Method %s is not allowed: the Read API only answers GET.", r.Method))
	case s.admitted(w, r):
		s.dispatch(w, r, endpoint, id)
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

// admitted checks credentials, then the workspace header, answering the
// request itself when either fails.
func (s *Server) admitted(w http.ResponseWriter, r *http.Request) bool {
	if detail, ok := s.authenticate(r); !ok {
		writeErrors(w, http.StatusUnauthorized, "unauthorized", detail, true)
		return false
	}
	want := s.cfg.RequireWorkspace
	if want == "" {
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

// authenticate follows the documented precedence: an X-API-Key header decides
// alone; only without one is the bearer token consulted.
func (s *Server) authenticate(r *http.Request) (detail string, ok bool) {
	if s.cfg.APIKey == "" && s.cfg.BearerToken == "" {
		return "", true
	}
	if keys := r.Header.Values("X-API-Key"); len(keys) > 0 {
		if sameSecret(keys[0], s.cfg.APIKey) {
			return "", true
		}
		return "The API key is invalid or expired, or lacks the scope this endpoint needs.", false
	}
	if auth := r.Header.Get("Authorization"); auth != "" {
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

// route names the endpoint an escaped path belongs to and the id it
// carries, so an id with an escaped "/" stays one segment.
func route(escapedPath string) (endpoint, id string) {
	switch escapedPath {
	case "/v1/accounts":
		return EndpointAccounts, ""
	case "/v1/admin/users":
		return EndpointMembers, ""
	}
	parts := strings.Split(escapedPath, "/")
	switch {
	case len(parts) == 4 && parts[1] == "v1" && parts[2] == "accounts":
		return withID(EndpointAccount, parts[3])
	case len(parts) == 5 && parts[1] == "v1" && parts[2] == "users" && parts[4] == "accounts":
		return withID(EndpointMemberAccounts, parts[3])
	}
	return EndpointUnknown, ""
}

func withID(endpoint, segment string) (string, string) {
	id, err := url.PathUnescape(segment)
	if err != nil || id == "" {
		return EndpointUnknown, ""
	}
	return endpoint, id
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
