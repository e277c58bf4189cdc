package client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

const (
	maxResponseBytes = 64 << 20
	backoffBase      = time.Second
	backoffCap       = 30 * time.Second
)

// transportChain builds the layers in the order a request passes them:
// logging → retry → rate limit → auth → the base transport.
func (c *Client) transportChain(o Options, base http.RoundTripper) http.RoundTripper {
	origin, _ := url.Parse(o.BaseURL) // already validated by NormalizeBaseURL
	var rt http.RoundTripper = &authTransport{
		next:      base,
		origin:    origin,
		apiKey:    o.APIKey,
		bearer:    o.BearerToken,
		workspace: workspaceHeader(o),
		userAgent: o.UserAgent,
	}
	if o.RequestsPerSecond > 0 {
		rt = &rateLimitTransport{next: rt, limiter: newRateLimiter(o.RequestsPerSecond, c.clock)}
	}
	retry := &retryTransport{
		next:       rt,
		log:        o.Logger,
		clock:      c.clock,
		pause:      &c.pause,
		maxRetries: o.MaxRetries,
		maxWait:    o.MaxRetryWait,
		timeout:    o.RequestTimeout,
		maxBody:    maxResponseBytes,
	}
	return &loggingTransport{next: retry, log: o.Logger, clock: c.clock}
}

// defaultTransport is net/http's default, which honours HTTPS_PROXY and
// NO_PROXY, with room to keep the connections of concurrent paging open
// between pages: the default keeps two per host, so each round of pages
// would open (and TLS-handshake) new ones.
var defaultTransport = func() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = MaxPageConcurrency
	return t
}()

// baseTransport is the caller's transport or defaultTransport. Extra root CAs
// (a TLS-inspecting proxy's) go into a clone of it, so the proxy settings stay.
func baseTransport(o Options) (http.RoundTripper, error) {
	var base http.RoundTripper = defaultTransport
	if o.HTTPClient != nil && o.HTTPClient.Transport != nil {
		base = o.HTTPClient.Transport
	}
	if len(o.ExtraRootCAsPEM) == 0 {
		return base, nil
	}
	t, ok := base.(*http.Transport)
	if !ok {
		return nil, fmt.Errorf("extra root CAs need an *http.Transport, got %T", base)
	}
	roots, err := x509.SystemCertPool()
	if err != nil {
		roots = x509.NewCertPool() // no system store (a scratch container): the extra CAs alone
	}
	if !roots.AppendCertsFromPEM([]byte(o.ExtraRootCAsPEM)) {
		return nil, errors.New("the extra root CA bundle holds no PEM certificate")
	}
	t = t.Clone()
	if t.TLSClientConfig == nil {
		t.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	t.TLSClientConfig.RootCAs = roots
	return t, nil
}

// exchange carries what the retry layer learnt about one request back to the
// layers above it and to Client.get.
type exchange struct {
	attempts    int
	refusedWait time.Duration // a Retry-After longer than the maximum honoured
	guessedWait bool          // a 429 came without Retry-After: the wait was backoff
}

type exchangeKey struct{}

func withExchange(ctx context.Context, ex *exchange) context.Context {
	return context.WithValue(ctx, exchangeKey{}, ex)
}

func exchangeFrom(ctx context.Context) *exchange {
	if ex, ok := ctx.Value(exchangeKey{}).(*exchange); ok {
		return ex
	}
	return &exchange{}
}

// loggingTransport logs each request without any header, so it never sees a
// credential (those are added further in).
type loggingTransport struct {
	next  http.RoundTripper
	log   Logger
	clock *clock
}

func (t *loggingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	start := t.clock.now()
	resp, err := t.next.RoundTrip(req)
	fields := map[string]any{
		"method":      req.Method,
		"path":        req.URL.RequestURI(),
		"duration_ms": t.clock.now().Sub(start).Milliseconds(),
		"attempts":    exchangeFrom(req.Context()).attempts,
	}
	outcome := "failed"
	if err != nil {
		fields["error"] = err.Error()
	} else {
		outcome = strconv.Itoa(resp.StatusCode)
		fields["status"] = resp.StatusCode
		if id := requestID(resp.Header); id != "" {
			fields["request_id"] = id
		}
	}
	t.log.Debug(req.Context(), fmt.Sprintf("%s %s: %s", req.Method, req.URL.RequestURI(), outcome), fields)
	return resp, err
}

// retryTransport retries 429, 5xx (but 501) and connection errors. Each
// attempt, body included, is bounded by timeout; the body handed back is
// buffered so that the timeout cannot strike after the attempt.
type retryTransport struct {
	next       http.RoundTripper
	log        Logger
	clock      *clock
	pause      *pauseGate
	maxRetries int
	maxWait    time.Duration
	timeout    time.Duration
	maxBody    int64
}

// bodyTooLargeError is final: a retry would read the same body again.
type bodyTooLargeError struct{ limit int64 }

func (e bodyTooLargeError) Error() string {
	return fmt.Sprintf("response body exceeds the %s limit", byteSize(e.limit))
}

func isBodyTooLarge(err error) bool {
	var tooLarge bodyTooLargeError
	return errors.As(err, &tooLarge)
}

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	ex := exchangeFrom(ctx)
	for attempt := 1; ; attempt++ {
		if err := t.waitOutPause(ctx); err != nil {
			return nil, err
		}
		ex.attempts = attempt
		resp, err := t.attempt(req)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		wait, reason, retryable := t.retryPlan(resp, err, attempt)
		ex.guessedWait = ex.guessedWait || strings.HasSuffix(reason, "without Retry-After")
		if !retryable || attempt > t.maxRetries {
			return resp, withAttempts(err, attempt)
		}
		if wait > t.maxWait {
			ex.refusedWait = wait
			return resp, nil
		}
		t.log.Warn(ctx, fmt.Sprintf("retrying %s %s in %s after %s (attempt %d of %d)",
			req.Method, req.URL.RequestURI(), wait.Round(100*time.Millisecond), reason, attempt+1, t.maxRetries+1),
			map[string]any{"method": req.Method, "path": req.URL.RequestURI(), "wait_ms": wait.Milliseconds(), "reason": reason, "next_attempt": attempt + 1})
		if resp != nil && resp.StatusCode == http.StatusTooManyRequests {
			t.pause.extendTo(t.clock.now().Add(wait)) // waited out at the top of the loop, by everyone
			continue
		}
		if err := t.clock.sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

// waitOutPause sleeps until no 429 pause holds. Another request's 429 can
// extend the pause while this one sleeps, so the gate is asked again on
// waking: a sleeper must not start inside the longer pause.
func (t *retryTransport) waitOutPause(ctx context.Context) error {
	for {
		d := t.pause.remaining(t.clock.now())
		if d <= 0 {
			return ctx.Err()
		}
		if err := t.clock.sleep(ctx, d); err != nil {
			return err
		}
	}
}

func withAttempts(err error, attempts int) error {
	if err == nil || isBodyTooLarge(err) {
		return err
	}
	return fmt.Errorf("%w (after %s)", err, plural(attempts, "attempt"))
}

// isUntrustedCertificate is final too: the next handshake meets the same
// certificate.
func isUntrustedCertificate(err error) bool {
	return errors.As(err, new(*tls.CertificateVerificationError))
}

// retryPlan says whether an outcome is worth another attempt and after how
// long. Only a Retry-After can exceed maxWait: backoff is capped below it.
func (t *retryTransport) retryPlan(resp *http.Response, err error, attempt int) (wait time.Duration, reason string, retryable bool) {
	if err != nil {
		if isBodyTooLarge(err) || isUntrustedCertificate(err) {
			return 0, "", false
		}
		return t.backoff(attempt), "error: " + err.Error(), true
	}
	code := resp.StatusCode
	if code != http.StatusTooManyRequests && (code < 500 || code == http.StatusNotImplemented) {
		return 0, "", false
	}
	reason = strconv.Itoa(code)
	if d, ok := retryAfter(resp.Header.Get("Retry-After"), t.clock.now()); ok {
		return d, reason, true
	}
	if code == http.StatusTooManyRequests {
		reason += " without Retry-After"
	}
	return t.backoff(attempt), reason, true
}

// backoff is capped exponential backoff with full jitter.
func (t *retryTransport) backoff(attempt int) time.Duration {
	ceiling := min(backoffCap, t.maxWait)
	if attempt < 32 { // beyond that the shift overflows; the cap applies anyway
		ceiling = min(ceiling, backoffBase<<(attempt-1))
	}
	return t.clock.jitter(ceiling)
}

// retryAfter reads a Retry-After header: delay-seconds or an HTTP-date.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		return time.Duration(min(secs, math.MaxInt32)) * time.Second, true // no overflow; still "too long"
	}
	if at, err := http.ParseTime(v); err == nil {
		return max(at.Sub(now), 0), true
	}
	return 0, false
}

// attempt sends req once and reads the whole body within the timeout.
func (t *retryTransport) attempt(req *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithTimeout(req.Context(), t.timeout)
	defer cancel()
	resp, err := t.next.RoundTrip(req.WithContext(ctx))
	if err != nil {
		return nil, t.describeTimeout(ctx, err)
	}
	defer resp.Body.Close()
	body, err := readBody(resp.Body, resp.ContentLength, t.maxBody)
	if err != nil {
		return nil, t.describeTimeout(ctx, fmt.Errorf("reading the response body: %w", err))
	}
	if int64(len(body)) > t.maxBody {
		return nil, bodyTooLargeError{limit: t.maxBody}
	}
	resp.Body = bufferedBody{strings.NewReader(body), body}
	resp.ContentLength = int64(len(body))
	return resp, nil
}

// bufferedBody is a response body read in full by the retry layer; get takes
// its text rather than copying it again.
type bufferedBody struct {
	*strings.Reader
	text string
}

func (bufferedBody) Close() error { return nil }

// readBody reads at most limit+1 bytes of r into a string sized once by the
// Content-Length when the server sent one (a page of 100 accounts is about
// 1.7 MB, which io.ReadAll reaches by a dozen regrowths). A string, because
// the decoded items' strings are slices of it: the page is held once, not
// copied per field nor again as a whole.
func readBody(r io.Reader, contentLength, limit int64) (string, error) {
	var body strings.Builder
	if contentLength >= 0 {
		body.Grow(int(min(contentLength, limit)) + 1) // room to see one byte too many
	}
	_, err := io.Copy(&body, io.LimitReader(r, limit+1))
	return body.String(), err
}

func (t *retryTransport) describeTimeout(attemptCtx context.Context, err error) error {
	if errors.Is(attemptCtx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("no complete response within the %s request timeout: %w", t.timeout, err)
	}
	return err
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	default:
		return fmt.Sprintf("%d bytes", n)
	}
}

// rateLimitTransport spaces the attempts of all requests of one Client.
type rateLimitTransport struct {
	next    http.RoundTripper
	limiter *rateLimiter
}

func (t *rateLimitTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := t.limiter.wait(req.Context()); err != nil {
		return nil, err
	}
	return t.next.RoundTrip(req)
}

// authTransport adds the identity headers to a clone of the request, and the
// credential only when the request goes to the configured origin: a redirect
// to another host carries none.
type authTransport struct {
	next                                 http.RoundTripper
	origin                               *url.URL
	apiKey, bearer, workspace, userAgent string
}

func (t *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	out := req.Clone(req.Context())
	out.Header.Set("Accept", "application/json")
	if t.userAgent != "" {
		out.Header.Set("User-Agent", t.userAgent)
	}
	if sameOrigin(out.URL, t.origin) {
		t.addIdentity(out.Header)
	}
	return t.next.RoundTrip(out)
}

// workspaceHeader is the Cerby-Workspace value: the Read API's only; on the
// Cerby API the host says which workspace.
func workspaceHeader(o Options) string {
	if o.API == CerbyAPI {
		return ""
	}
	return o.Workspace
}

func (t *authTransport) addIdentity(h http.Header) {
	switch {
	case t.apiKey != "":
		h.Set("X-API-Key", t.apiKey)
	case t.bearer != "":
		h.Set("Authorization", "Bearer "+t.bearer)
	}
	if t.workspace != "" {
		h.Set("Cerby-Workspace", t.workspace)
	}
}
