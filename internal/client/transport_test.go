package client

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// scripted answers the nth request to a path with script[n-1], repeating the
// last entry; each entry is (status, Retry-After).
func scripted(h *hits, script ...[2]any) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		step := script[min(h.record(r), len(script))-1]
		if ra := step[1].(string); ra != "" {
			w.Header().Set("Retry-After", ra)
		}
		w.Header().Set("X-Request-Id", "req-123")
		if status := step[0].(int); status != 200 {
			writeJSON(w, status, map[string]any{"message": "try again"})
			return
		}
		writeJSON(w, 200, accountJSON(strings.TrimPrefix(r.URL.Path, "/v1/accounts/")))
	}
}

func retries(n int) func(*Options) { return func(o *Options) { o.MaxRetries = n } }

func TestRetryHonoursRetryAfterSeconds(t *testing.T) {
	var h hits
	srv := httptest.NewServer(scripted(&h, [2]any{429, "2"}, [2]any{429, "2"}, [2]any{200, ""}))
	defer srv.Close()
	c, clk := newTestClient(t, srv, retries(5))
	if _, err := c.GetAccount(context.Background(), "a"); err != nil {
		t.Fatal(err)
	}
	if want := []time.Duration{2 * time.Second, 2 * time.Second}; !reflect.DeepEqual(clk.recorded(), want) || h.total() != 3 {
		t.Errorf("waits %v after %d requests; want %v after 3", clk.recorded(), h.total(), want)
	}
}

func TestRetryHonoursRetryAfterDate(t *testing.T) {
	var h hits
	at := fakeStart.Add(7 * time.Second).Format(http.TimeFormat)
	srv := httptest.NewServer(scripted(&h, [2]any{503, at}, [2]any{200, ""}))
	defer srv.Close()
	c, clk := newTestClient(t, srv, retries(1))
	if _, err := c.GetAccount(context.Background(), "a"); err != nil {
		t.Fatal(err)
	}
	if want := []time.Duration{7 * time.Second}; !reflect.DeepEqual(clk.recorded(), want) {
		t.Errorf("waits %v; want %v", clk.recorded(), want)
	}
}

func TestRetryBacksOffExponentiallyUpToTheCap(t *testing.T) {
	var h hits
	srv := httptest.NewServer(scripted(&h, [2]any{500, ""}))
	defer srv.Close()
	c, clk := newTestClient(t, srv, func(o *Options) { o.MaxRetries = 4; o.MaxRetryWait = 3 * time.Second })
	_, err := c.GetAccount(context.Background(), "a")
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusInternalServerError || apiErr.Attempts != 5 || h.total() != 5 {
		t.Fatalf("err = %#v after %d requests; want a 500 APIError after 5 attempts", err, h.total())
	}
	if !strings.Contains(err.Error(), "Server error after 5 attempts") {
		t.Errorf("message = %q", err)
	}
	want := []time.Duration{time.Second, 2 * time.Second, 3 * time.Second, 3 * time.Second}
	if !reflect.DeepEqual(clk.recorded(), want) {
		t.Errorf("waits %v; want %v (jitter at its ceiling)", clk.recorded(), want)
	}
}

func TestFullJitterStaysWithinTheCeiling(t *testing.T) {
	for range 1000 {
		if d := fullJitter(time.Second); d < 0 || d > time.Second {
			t.Fatalf("fullJitter(1s) = %s", d)
		}
	}
	if fullJitter(0) != 0 {
		t.Error("no ceiling, no wait")
	}
}

func TestRetryAfterBeyondTheMaximumStops(t *testing.T) {
	var h hits
	srv := httptest.NewServer(scripted(&h, [2]any{429, "120"}))
	defer srv.Close()
	c, clk := newTestClient(t, srv, retries(5))
	_, err := c.GetAccount(context.Background(), "a")
	if err == nil || h.total() != 1 || len(clk.recorded()) != 0 {
		t.Fatalf("err = %v after %d requests and waits %v; want an error at once", err, h.total(), clk.recorded())
	}
	for _, want := range []string{"429", "asked to wait 2m0s", "max_retry_wait (1m0s)"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err, want)
		}
	}
}

func TestRateLimitedUntilRetriesRunOut(t *testing.T) {
	var h hits
	srv := httptest.NewServer(scripted(&h, [2]any{429, ""}))
	defer srv.Close()
	c, clk := newTestClient(t, srv, retries(2))
	_, err := c.GetAccount(context.Background(), "a")
	if err == nil || !strings.Contains(err.Error(), "Rate limited: gave up after 3 attempts") || h.total() != 3 {
		t.Fatalf("err = %v after %d requests", err, h.total())
	}
	if want := []time.Duration{time.Second, 2 * time.Second}; !reflect.DeepEqual(clk.recorded(), want) {
		t.Errorf("waits %v; want %v", clk.recorded(), want)
	}
}

func TestNoRetryOnClientErrors(t *testing.T) {
	for _, status := range []int{400, 401, 403, 404, 409, 422, 501} {
		var h hits
		srv := httptest.NewServer(scripted(&h, [2]any{status, "1"}))
		c, clk := newTestClient(t, srv, retries(5))
		_, err := c.GetAccount(context.Background(), "a")
		srv.Close()
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != status || apiErr.Attempts != 1 || h.total() != 1 || len(clk.recorded()) != 0 {
			t.Errorf("%d: err %v, %d requests, waits %v; want one attempt", status, err, h.total(), clk.recorded())
		}
	}
}

func TestRetryAfterAConnectionResetWhileReadingTheBody(t *testing.T) {
	var h hits
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h.record(r) == 1 {
			conn, buf, _ := w.(http.Hijacker).Hijack()
			_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"id\":")
			_ = buf.Flush()
			_ = conn.Close()
			return
		}
		writeJSON(w, 200, accountJSON("a"))
	}))
	defer srv.Close()
	c, clk := newTestClient(t, srv, retries(2))
	got, err := c.GetAccount(context.Background(), "a")
	if err != nil || got.ID != "a" || h.total() != 2 || len(clk.recorded()) != 1 {
		t.Errorf("got %v, %v after %d requests and waits %v; want success on the second", got, err, h.total(), clk.recorded())
	}
}

func TestConnectionErrorsAreRetriedThenReported(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close() // nothing listens there any more
	c, err := New(Options{BaseURL: "http://" + addr, APIKey: testAPIKey, MaxRetries: 2})
	if err != nil {
		t.Fatal(err)
	}
	clk := installFakeClock(c)
	_, err = c.GetAccount(context.Background(), "a")
	if err == nil || !strings.Contains(err.Error(), "GET /v1/accounts/a: ") || !strings.Contains(err.Error(), "after 3 attempts") {
		t.Errorf("err = %v", err)
	}
	if len(clk.recorded()) != 2 {
		t.Errorf("waits %v; want two backoffs", clk.recorded())
	}
}

func TestRequestTimeoutCoversTheBody(t *testing.T) {
	var h hits
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h.record(r) == 1 {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"id":`))
			w.(http.Flusher).Flush()
			<-r.Context().Done() // stalls mid-body until the client gives up
			return
		}
		writeJSON(w, 200, accountJSON("a"))
	}))
	defer srv.Close()
	c, _ := newTestClient(t, srv, func(o *Options) { o.MaxRetries = 1; o.RequestTimeout = 100 * time.Millisecond })
	got, err := c.GetAccount(context.Background(), "a")
	if err != nil || got.ID != "a" || h.total() != 2 {
		t.Errorf("got %v, %v after %d requests; want the stalled body retried", got, err, h.total())
	}

	stalled := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}))
	defer stalled.Close()
	c, _ = newTestClient(t, stalled, func(o *Options) { o.RequestTimeout = 100 * time.Millisecond })
	_, err = c.GetAccount(context.Background(), "a")
	if err == nil || !strings.Contains(err.Error(), "request timeout") {
		t.Errorf("err = %v; want one naming the request timeout", err)
	}
}

func TestA429PausesEveryRequestOfTheClient(t *testing.T) {
	var h hits
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h.record(r) == 1 && r.URL.Path == "/v1/accounts/a" {
			w.Header().Set("Retry-After", "3")
			writeJSON(w, 429, nil)
			return
		}
		writeJSON(w, 200, accountJSON("x"))
	}))
	defer srv.Close()
	c, clk := newTestClient(t, srv, retries(2))
	waits, release := make(chan time.Duration), make(chan struct{})
	c.clock.sleep = func(ctx context.Context, d time.Duration) error {
		if d <= 0 {
			return nil
		}
		waits <- d
		<-release
		return clk.sleep(ctx, d)
	}

	errs := make(chan error, 2)
	// nextWait fails instead of hanging when a request finishes without waiting.
	nextWait := func(who string) time.Duration {
		select {
		case d := <-waits:
			return d
		case err := <-errs:
			t.Fatalf("%s finished without waiting (err %v)", who, err)
			return 0
		}
	}
	go func() { _, err := c.GetAccount(context.Background(), "a"); errs <- err }()
	if d := nextWait("the 429 request"); d != 3*time.Second {
		t.Errorf("the 429 request waits %s; want 3s", d)
	}
	go func() { _, err := c.GetAccount(context.Background(), "b"); errs <- err }()
	if d := nextWait("the other request"); d != 3*time.Second {
		t.Errorf("the other request waits %s; want the same 3s pause", d)
	}
	if n := h.count("/v1/accounts/b"); n != 0 {
		t.Errorf("the other request reached the server during the pause (%d times)", n)
	}
	close(release)
	for range 2 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if h.count("/v1/accounts/a") != 2 || h.count("/v1/accounts/b") != 1 {
		t.Errorf("requests: %v", h.uris)
	}
}

func TestAPauseExtendedDuringTheWaitIsWaitedOut(t *testing.T) {
	var h hits
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.record(r)
		writeJSON(w, 200, accountJSON("a"))
	}))
	defer srv.Close()
	c, clk := newTestClient(t, srv, nil)
	c.pause.extendTo(clk.now().Add(3 * time.Second))
	extended := false
	c.clock.sleep = func(ctx context.Context, d time.Duration) error {
		if d > 0 && !extended {
			extended = true
			// Another request's 429 arrives mid-wait and moves the pause on.
			c.pause.extendTo(clk.now().Add(5 * time.Second))
		}
		return clk.sleep(ctx, d)
	}
	if _, err := c.GetAccount(context.Background(), "a"); err != nil {
		t.Fatal(err)
	}
	if got := clk.recorded(); !slices.Equal(got, []time.Duration{3 * time.Second, 2 * time.Second}) {
		t.Errorf("waits %v; want the 3s pause, then the 2s it was extended by", got)
	}
	if h.count("/v1/accounts/a") != 1 {
		t.Errorf("requests: %v", h.uris)
	}
}

func TestCancellationEndsABackoffWait(t *testing.T) {
	var h hits
	srv := httptest.NewServer(scripted(&h, [2]any{500, ""}))
	defer srv.Close()
	c, _ := newTestClient(t, srv, retries(5))
	ctx, cancel := context.WithCancel(context.Background())
	c.clock.sleep = func(ctx context.Context, d time.Duration) error {
		if d > 0 {
			cancel()
			return sleepContext(ctx, 10*time.Minute) // the real wait, ended by the cancel
		}
		return ctx.Err()
	}
	_, err := c.GetAccount(ctx, "a")
	if !errors.Is(err, context.Canceled) || h.total() != 1 {
		t.Errorf("err = %v after %d requests; want context.Canceled after 1", err, h.total())
	}
}

func TestSleepContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := sleepContext(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled wait returned %v", err)
	}
	if err := sleepContext(context.Background(), time.Millisecond); err != nil {
		t.Errorf("a finished wait returned %v", err)
	}
}

func TestCancellationEndsASlowRequest(t *testing.T) {
	var h hits
	started := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.record(r)
		close(started)
		<-r.Context().Done()
	}))
	defer srv.Close()
	c, _ := newTestClient(t, srv, retries(3))
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-started; cancel() }()
	_, err := c.GetAccount(ctx, "a")
	if !errors.Is(err, context.Canceled) || h.total() != 1 {
		t.Errorf("err = %v after %d requests; want context.Canceled and no retry", err, h.total())
	}
}

func TestRateLimitSpacesRequests(t *testing.T) {
	var h hits
	srv := httptest.NewServer(scripted(&h, [2]any{200, ""}))
	defer srv.Close()
	c, clk := newTestClient(t, srv, func(o *Options) { o.RequestsPerSecond = 2 })
	for _, id := range []string{"a", "b", "c"} {
		if _, err := c.GetAccount(context.Background(), id); err != nil {
			t.Fatal(err)
		}
	}
	if want := []time.Duration{505 * time.Millisecond, 505 * time.Millisecond}; !reflect.DeepEqual(clk.recorded(), want) { // 1% margin
		t.Errorf("waits %v; want %v", clk.recorded(), want)
	}
}

// headerRecorder answers an account and keeps the headers of each request.
type headerRecorder struct {
	hits
	headers []http.Header
}

func (s *headerRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.headers = append(s.headers, r.Header.Clone())
	s.mu.Unlock()
	s.record(r)
	writeJSON(w, 200, accountJSON("a"))
}

func TestAuthHeaders(t *testing.T) {
	tests := map[string]struct {
		opts Options
		want map[string]string // "" means the header must be absent
	}{
		"api key wins": {Options{APIKey: testAPIKey, BearerToken: testBearer},
			map[string]string{"X-Api-Key": testAPIKey, "Authorization": "", "Cerby-Workspace": ""}},
		"bearer only": {Options{BearerToken: testBearer, Workspace: "acme"},
			map[string]string{"X-Api-Key": "", "Authorization": "Bearer " + testBearer, "Cerby-Workspace": "acme"}},
		"no credential": {Options{UserAgent: "terraform-provider-cerby/1.2.3"},
			map[string]string{"X-Api-Key": "", "Authorization": "", "User-Agent": "terraform-provider-cerby/1.2.3"}},
	}
	for name, tt := range tests {
		s := &headerRecorder{}
		srv := httptest.NewServer(s)
		tt.opts.BaseURL, tt.opts.HTTPClient = srv.URL, srv.Client()
		c, err := New(tt.opts)
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.GetAccount(context.Background(), "a")
		srv.Close()
		if err != nil {
			t.Fatal(err)
		}
		got := s.headers[0]
		if got.Get("Accept") != "application/json" {
			t.Errorf("%s: Accept = %q", name, got.Get("Accept"))
		}
		for key, want := range tt.want {
			if got.Get(key) != want {
				t.Errorf("%s: %s = %q; want %q", name, key, got.Get(key), want)
			}
		}
	}
}

func TestRedirectsCarryCredentialsOnlyToTheConfiguredHost(t *testing.T) {
	other := &headerRecorder{}
	otherSrv := httptest.NewServer(other)
	defer otherSrv.Close()
	home := &headerRecorder{}
	homeSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/v1/accounts/elsewhere":
			http.Redirect(w, r, otherSrv.URL+"/v1/accounts/a", http.StatusFound)
		case "/v1/accounts/moved":
			http.Redirect(w, r, "/v1/accounts/a", http.StatusMovedPermanently)
		default:
			home.ServeHTTP(w, r)
		}
	}))
	defer homeSrv.Close()

	for _, opts := range []Options{{APIKey: testAPIKey}, {BearerToken: testBearer}} {
		opts.BaseURL, opts.HTTPClient, opts.Workspace = homeSrv.URL, homeSrv.Client(), "acme"
		c, err := New(opts)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.GetAccount(context.Background(), "elsewhere"); err != nil {
			t.Fatal(err)
		}
		if _, err := c.GetAccount(context.Background(), "moved"); err != nil {
			t.Fatal(err)
		}
	}
	for i, h := range other.headers {
		if h.Get("X-Api-Key") != "" || h.Get("Authorization") != "" || h.Get("Cerby-Workspace") != "" {
			t.Errorf("redirect %d to another host carried identity headers: %v", i, h)
		}
	}
	if len(other.headers) != 2 || len(home.headers) != 2 {
		t.Fatalf("other host saw %d requests, home %d; want 2 each", len(other.headers), len(home.headers))
	}
	if home.headers[0].Get("X-Api-Key") != testAPIKey || home.headers[1].Get("Authorization") != "Bearer "+testBearer {
		t.Errorf("a same-host redirect should keep the credential: %v", home.headers)
	}
}

func TestResponseBodyCap(t *testing.T) {
	if byteSize(maxResponseBytes) != "64 MiB" {
		t.Errorf("the cap is %s; want 64 MiB", byteSize(maxResponseBytes))
	}
	var h hits
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.record(r)
		size := 1024
		if r.URL.Path == "/v1/accounts/big" {
			size++
		}
		body := `{"id":"a"}`
		_, _ = w.Write([]byte(body + strings.Repeat(" ", size-len(body))))
	}))
	defer srv.Close()
	c, _ := newTestClient(t, srv, retries(3))
	c.http.Transport.(*loggingTransport).next.(*retryTransport).maxBody = 1024

	if _, err := c.GetAccount(context.Background(), "fits"); err != nil {
		t.Errorf("a body of exactly the cap should be read: %v", err)
	}
	_, err := c.GetAccount(context.Background(), "big")
	if err == nil || !strings.Contains(err.Error(), "GET /v1/accounts/big: response body exceeds the 1 KiB limit") {
		t.Errorf("err = %v", err)
	}
	if h.count("/v1/accounts/big") != 1 {
		t.Errorf("an oversized body must not be retried; %d requests", h.count("/v1/accounts/big"))
	}
}

func TestLoggingNamesTheRequestButNoCredential(t *testing.T) {
	for _, cred := range []func(*Options){
		func(o *Options) { o.APIKey = testAPIKey },
		func(o *Options) { o.APIKey, o.BearerToken = "", testBearer },
	} {
		var h hits
		srv := httptest.NewServer(scripted(&h, [2]any{429, "2"}, [2]any{200, ""}))
		log := &capturingLogger{}
		c, _ := newTestClient(t, srv, func(o *Options) {
			cred(o)
			o.MaxRetries, o.Logger, o.Workspace = 2, log, "acme"
		})
		_, err := c.GetAccount(context.Background(), "a")
		srv.Close()
		if err != nil {
			t.Fatal(err)
		}
		lines := log.all()
		for _, want := range []string{
			"WARN retrying GET /v1/accounts/a in 2s after 429 (attempt 2 of 3)",
			"DEBUG GET /v1/accounts/a: 200",
			"attempts:2", "request_id:req-123", "status:200", "path:/v1/accounts/a", "method:GET",
		} {
			if !strings.Contains(lines, want) {
				t.Errorf("log lacks %q:\n%s", want, lines)
			}
		}
		assertNoSecret(t, "log", lines)
	}
}

// readBody must read the whole body whatever Content-Length claims, and at
// most one byte past the limit.
func TestReadBodyWhateverContentLengthSays(t *testing.T) {
	body := strings.Repeat("x", 3000)
	for _, tc := range []struct {
		contentLength, limit int64
		want                 int
	}{
		{3000, 10_000, 3000}, // exact
		{-1, 10_000, 3000},   // unknown
		{10, 10_000, 3000},   // too low
		{9000, 10_000, 3000}, // too high
		{3000, 1000, 1001},   // over the limit: one byte past it tells so
	} {
		got, err := readBody(strings.NewReader(body), tc.contentLength, tc.limit)
		if err != nil || len(got) != tc.want {
			t.Errorf("Content-Length %d, limit %d: read %d bytes, %v; want %d", tc.contentLength, tc.limit, len(got), err, tc.want)
		}
	}
}

// A request that wakes up late must not let the next one go out early: the
// server counts when requests arrive, not when their turns were due.
func TestRateLimitCountsFromWhenTheLastRequestWentOut(t *testing.T) {
	now := fakeStart
	late := 60 * time.Millisecond // the first sleep overshoots, as on a busy machine
	l := newRateLimiter(10, &clock{
		now: func() time.Time { return now },
		sleep: func(_ context.Context, d time.Duration) error {
			now, late = now.Add(d+late), 0
			return nil
		},
	})
	var out []time.Time
	for range 4 {
		if err := l.wait(context.Background()); err != nil {
			t.Fatal(err)
		}
		out = append(out, now)
	}
	for i := 1; i < len(out); i++ {
		if gap := out[i].Sub(out[i-1]); gap < l.interval {
			t.Errorf("requests %d and %d went out %s apart; want at least %s", i, i+1, gap, l.interval)
		}
	}
}

func TestRateLimitWaitEndsWithTheContext(t *testing.T) {
	l := newRateLimiter(0.001, realClock())
	if err := l.wait(context.Background()); err != nil { // the first goes at once
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if err := l.wait(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v; want the context's deadline", err)
	}
}
