package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	testAPIKey = "ck_live_SECRET-api-key-0123456789"
	testBearer = "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjE3MDAwMDAwMDB9.SECRETsignature"
)

// fakeStart is a whole second, so that an HTTP-date can express it exactly.
var fakeStart = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// fakeClock never really waits: sleeping records the wait and moves time on.
type fakeClock struct {
	mu     sync.Mutex
	t      time.Time
	sleeps []time.Duration
}

func installFakeClock(c *Client) *fakeClock {
	f := &fakeClock{t: fakeStart}
	c.clock.now = f.now
	c.clock.sleep = f.sleep
	c.clock.jitter = func(ceiling time.Duration) time.Duration { return ceiling }
	return f
}

func (f *fakeClock) now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

func (f *fakeClock) sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sleeps = append(f.sleeps, d)
	f.t = f.t.Add(d)
	return ctx.Err()
}

func (f *fakeClock) recorded() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.sleeps...)
}

// newTestClient points a client at srv with an API key and a fake clock;
// tweak adjusts the options first.
func newTestClient(t *testing.T, srv *httptest.Server, tweak func(*Options)) (*Client, *fakeClock) {
	t.Helper()
	opts := Options{BaseURL: srv.URL, APIKey: testAPIKey, HTTPClient: srv.Client()}
	if tweak != nil {
		tweak(&opts)
	}
	c, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c, installFakeClock(c)
}

// hits counts requests per path, safely across the server's goroutines.
type hits struct {
	mu     sync.Mutex
	byPath map[string]int
	uris   []string
}

func (h *hits) record(r *http.Request) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.byPath == nil {
		h.byPath = map[string]int{}
	}
	h.byPath[r.URL.Path]++
	h.uris = append(h.uris, r.URL.RequestURI())
	return h.byPath[r.URL.Path]
}

func (h *hits) count(path string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.byPath[path]
}

func (h *hits) total() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.uris)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func accountJSON(id string) map[string]any { return map[string]any{"id": id, "name": "n-" + id} }

func accountIDs(accounts []Account) []string {
	ids := make([]string, len(accounts))
	for i, a := range accounts {
		ids[i] = a.ID
	}
	return ids
}

func seqIDs(prefix string, n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("%s%03d", prefix, i+1)
	}
	return ids
}

// capturingLogger keeps every line with its fields rendered as text.
type capturingLogger struct {
	mu    sync.Mutex
	lines []string
}

func (l *capturingLogger) Debug(_ context.Context, msg string, fields map[string]any) {
	l.add("DEBUG", msg, fields)
}

func (l *capturingLogger) Warn(_ context.Context, msg string, fields map[string]any) {
	l.add("WARN", msg, fields)
}

func (l *capturingLogger) add(level, msg string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf("%s %s %v", level, msg, fields))
}

func (l *capturingLogger) all() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

func assertNoSecret(t *testing.T, where, text string) {
	t.Helper()
	for _, secret := range []string{testAPIKey, testBearer, "SECRET"} {
		if strings.Contains(text, secret) {
			t.Errorf("%s contains a credential: %s", where, text)
		}
	}
}
