package cerbysim

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Faults makes the server misbehave the ways a real API and the proxies in
// front of it do. All are off by default. The random ones are drawn from
// Seed and the request's sequence number, so a run that sends the same
// requests in the same order meets the same faults.
//
// Every fault acts on both APIs, on the Cerby API in its own terms: a
// "startIndex" below is, there, the position of a page's first item,
// (page[number]−1)·page[size]+1, and "totalResults" is meta.page.total. The
// fields from NextOrigin on act on the Cerby API's links alone.
type Faults struct {
	Seed int64

	// RateLimitPerSecond answers 429 (Retry-After: 1) to requests beyond this
	// many within one clock second.
	RateLimitPerSecond int

	// Random429Rate is the share of requests answered 429. RetryAfter, when
	// set, is sent in Retry-After as whole seconds, or as an HTTP date when
	// RetryAfterHTTPDate is true.
	Random429Rate      float64
	RetryAfter         time.Duration
	RetryAfterHTTPDate bool

	// Random5xxRate is the share of requests answered 500, 502, 503 or 504;
	// HTMLErrorRate is the share of those with a proxy's HTML page as body.
	// ServerErrorStatus, when set (500 to 599), is the status of every one
	// of them instead, such as 502 for a gateway's HTML page.
	Random5xxRate     float64
	HTMLErrorRate     float64
	ServerErrorStatus int

	// Latency delays every response.
	Latency time.Duration

	// DropConnectionRate is the share of requests whose connection is closed
	// without any response.
	DropConnectionRate float64

	// InsertBetweenPages and RemoveBetweenPages add or remove that many items
	// at the front of a listing before serving any page after the first
	// (startIndex > 1), as if the workspace changed while a client paged.
	InsertBetweenPages int
	RemoveBetweenPages int
	// ChangeLimit caps how many pages those two act before (0: every page
	// after the first), so that a client that starts over sees the listing
	// settle.
	ChangeLimit int

	// NeverAdvance serves the first page's items whatever startIndex asks.
	NeverAdvance bool

	// DuplicateItems lists the first n items of a listing again at its end,
	// counted in totalResults, as a server that reaches an account by two
	// routes might.
	DuplicateItems int

	// EmptyPageAt serves an empty page at this startIndex (0: never) while
	// totalResults still counts the items beyond it.
	EmptyPageAt int

	// TotalResultsOffset is added to the true totalResults (negative: too
	// low, never below zero); OmitTotalResults leaves totalResults out.
	TotalResultsOffset int
	OmitTotalResults   bool

	// TotalShiftAfterFirstPage is added to totalResults on every page after
	// the first (startIndex > 1) while the listing itself stays the same, as
	// a server whose count and list disagree mid-walk.
	TotalShiftAfterFirstPage int

	// NextOrigin, when set (scheme and host, such as
	// "https://elsewhere.example"), makes every links.next an absolute URL
	// on that origin instead of a root-relative link: a client must not send
	// its key there.
	NextOrigin string
	// NextPath, when set (a path such as "/api/v1/accounts/x/secrets"),
	// replaces the path of every links.next, its query kept: a link off the
	// listing's path, which a client must not follow.
	NextPath string
	// NextRepeatsSelf makes links.next equal links.self on every page, the
	// last included, so a client that only follows links never gets past
	// the page it is on.
	NextRepeatsSelf bool
	// OmitNullLinks leaves next and previous out where they would be null,
	// as some of Cerby's examples do; OmitLinks leaves links out altogether.
	OmitNullLinks bool
	OmitLinks     bool
}

// Validate reports settings that cannot be honoured.
func (f Faults) Validate() error {
	rates := []struct {
		name  string
		value float64
	}{
		{"Random429Rate", f.Random429Rate},
		{"Random5xxRate", f.Random5xxRate},
		{"HTMLErrorRate", f.HTMLErrorRate},
		{"DropConnectionRate", f.DropConnectionRate},
	}
	var errs []error
	for _, r := range rates {
		if r.value < 0 || r.value > 1 {
			errs = append(errs, fmt.Errorf("%s must be between 0 and 1, got %v", r.name, r.value))
		}
	}
	counts := []struct {
		name  string
		value int
	}{
		{"RateLimitPerSecond", f.RateLimitPerSecond},
		{"InsertBetweenPages", f.InsertBetweenPages},
		{"RemoveBetweenPages", f.RemoveBetweenPages},
		{"ChangeLimit", f.ChangeLimit},
		{"DuplicateItems", f.DuplicateItems},
		{"EmptyPageAt", f.EmptyPageAt},
	}
	for _, c := range counts {
		if c.value < 0 {
			errs = append(errs, fmt.Errorf("%s must not be negative, got %d", c.name, c.value))
		}
	}
	if f.RetryAfter < 0 || f.Latency < 0 {
		errs = append(errs, errors.New("RetryAfter and Latency must not be negative"))
	}
	if f.ServerErrorStatus != 0 && (f.ServerErrorStatus < 500 || f.ServerErrorStatus > 599) {
		errs = append(errs, fmt.Errorf("ServerErrorStatus must be from 500 to 599, got %d", f.ServerErrorStatus))
	}
	if f.NextPath != "" && (!strings.HasPrefix(f.NextPath, "/") || strings.ContainsAny(f.NextPath, "?#")) {
		errs = append(errs, fmt.Errorf("NextPath must be a path starting with / and without a query, got %q", f.NextPath))
	}
	if f.NextOrigin != "" {
		if u, err := url.Parse(f.NextOrigin); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil {
			errs = append(errs, fmt.Errorf("NextOrigin must be a scheme and host such as https://elsewhere.example, got %q", f.NextOrigin))
		}
	}
	return errors.Join(errs...)
}

// roll is what the random faults decided for one request.
type roll struct {
	drop, tooMany, serverError, html bool
	status                           int
}

var serverErrorStatuses = []int{http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout}

// rollFor draws every decision in a fixed order whatever is enabled, so
// turning one fault on does not reshuffle the others.
func (f Faults) rollFor(seq uint64) roll {
	r := rand.New(rand.NewPCG(uint64(f.Seed), seq))
	rolled := roll{
		drop:        r.Float64() < f.DropConnectionRate,
		tooMany:     r.Float64() < f.Random429Rate,
		serverError: r.Float64() < f.Random5xxRate,
		html:        r.Float64() < f.HTMLErrorRate,
		status:      serverErrorStatuses[r.IntN(len(serverErrorStatuses))],
	}
	if f.ServerErrorStatus != 0 {
		rolled.status = f.ServerErrorStatus
	}
	return rolled
}

// retryAfter is the Retry-After value for a random 429, "" for none.
func (f Faults) retryAfter(now time.Time) string {
	switch {
	case f.RetryAfter <= 0:
		return ""
	case f.RetryAfterHTTPDate:
		return now.Add(f.RetryAfter).UTC().Format(http.TimeFormat)
	default:
		return strconv.Itoa(int((f.RetryAfter + time.Second - 1) / time.Second))
	}
}

// rateWindow counts requests in the current clock second.
type rateWindow struct {
	mu     sync.Mutex
	second int64
	used   int
}

// admit reports whether one more request fits in budget for now's second.
func (w *rateWindow) admit(now time.Time, budget int) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if sec := now.Unix(); sec != w.second {
		w.second, w.used = sec, 0
	}
	if w.used >= budget {
		return false
	}
	w.used++
	return true
}

// total is the listing's size as the total faults make it reported for page
// p; false when it is left out.
func (f Faults) total(matched int, p page) (int, bool) {
	if f.OmitTotalResults {
		return 0, false
	}
	n := matched + f.TotalResultsOffset
	if p.start > 1 {
		n += f.TotalShiftAfterFirstPage
	}
	return max(n, 0), true
}

// totalField is the Read API's totalResults member, with its trailing comma.
func (f Faults) totalField(matched int, p page) string {
	n, ok := f.total(matched, p)
	if !ok {
		return ""
	}
	return fmt.Sprintf(`"totalResults":%d,`, n)
}

// withDuplicates appends the first n items again; the list is clipped so the
// state's own slice is never written.
func withDuplicates[T any](items []T, n int) []T {
	return append(slices.Clip(items), items[:min(n, len(items))]...)
}

// changeGate counts the pages the between-pages faults acted before.
type changeGate struct{ acted atomic.Int64 }

// allow reports whether the faults may act once more under limit (0: always).
func (g *changeGate) allow(limit int) bool {
	return limit == 0 || g.acted.Add(1) <= int64(limit)
}
