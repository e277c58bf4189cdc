package client

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
)

// maxPages bounds a walk so that a server that never ends cannot hang it.
const maxPages = 10_000

// maxRestarts bounds how often a listing that changes under the walk is read
// again from the start before the read gives up.
const maxRestarts = 3

// page is one answer of a list endpoint.
type page[T identified] struct {
	items []T
	total *int      // totalResults or meta.page.total, nil when absent
	links pageLinks // the Cerby API's links; absent on the Read API
	// warnings name what the decoder left null rather than failing the page.
	warnings []string
}

// pageLinks is what an answer says of the page after it.
type pageLinks struct {
	present bool   // the answer has a links object
	next    string // links.next, "" when null, absent or empty
}

// pageRef names one page of a listing: by its position n (a startIndex or a
// page number, as the listing's scheme counts) or, when the server linked to
// a page the scheme cannot name, by that link. It is comparable, so the
// walk can tell the page a server points to from the one it predicted.
type pageRef struct {
	n    int
	link string
}

// ending is what one page says of the listing's end.
type ending int

const (
	more      ending = iota // the listing goes on
	shortPage               // fewer items than asked: the end, unless a trusted total says otherwise
	lastPage                // the server says nothing follows (no links.next)
)

// pageScheme is how one API numbers and links the pages of a listing; the
// walk, its stop rules and the changing-list rule serve both.
type pageScheme interface {
	url(ref pageRef) string // the request of a page
	nth(k int) pageRef      // the k-th page (0 the first) of a walk of full pages
	// after names the page following the one at ref that held n items and
	// these links, and what the page says of the end.
	after(ref pageRef, n int, links pageLinks) (pageRef, ending, error)
	describe(ref pageRef) string // for messages, e.g. "startIndex 101"
	totalName() string           // e.g. "totalResults"
}

// listing is one list endpoint with its filters.
type listing[T identified] struct {
	endpoint string // for messages, e.g. "GET /v1/accounts"
	scope    string
	scheme   pageScheme
	decode   func(endpoint, body string) (page[T], error)
	// uncertain, when not empty, says what to do when the endpoint answers
	// 404 or 405: only a third party reports that it exists.
	uncertain string
}

// pager walks one listing. Serial paging is concurrency 1.
type pager[T identified] struct {
	listing[T]
	limit       int
	concurrency int // pages in flight at once once the total is known
	fetch       func(ctx context.Context, ref pageRef) (page[T], error)
	secrets     []string // removed from the walk's errors, which may quote a 2xx body or a link
}

func newPager[T identified](c *Client, l listing[T]) pager[T] {
	return pager[T]{
		listing:     l,
		limit:       c.pageSize,
		concurrency: c.pageConcurrency,
		secrets:     c.secrets,
		fetch: func(ctx context.Context, ref pageRef) (page[T], error) {
			body, err := c.getURL(ctx, l.scheme.url(ref), l.scope)
			if err != nil {
				return page[T]{}, err
			}
			pg, err := l.decode(l.endpoint, body)
			c.warn(ctx, pg.warnings)
			return pg, err
		},
	}
}

// walk feeds every new item to col until the listing ends or col is full.
// Offset paging cannot survive a listing that changes under it (a removal
// shifts an unread item onto a page already read), so when the total
// changes the walk starts over, keeping what col already holds: items
// present throughout come back exactly once, items added or removed
// meanwhile may or may not. No credential the server echoed is in its error.
func (p pager[T]) walk(ctx context.Context, col *collector[T]) error {
	return redactError(p.passes(ctx, col), p.secrets)
}

// passes is walk, its error as it came.
func (p pager[T]) passes(ctx context.Context, col *collector[T]) error {
	for restarts := 0; ; restarts++ {
		err := p.pass(ctx, col)
		var change *listingChange
		if !errors.As(err, &change) {
			return err
		}
		if restarts == maxRestarts {
			return fmt.Errorf("%s: %w: read again from the start %d times, and %s; try again once it settles, or narrow it with a filter",
				p.endpoint, ErrListingChanged, maxRestarts, change)
		}
	}
}

// listingChange is a total that differs from the walk's first one.
type listingChange struct {
	name     string
	from, to int
	at       string
}

func (c *listingChange) Error() string {
	return fmt.Sprintf("%s went from %d to %d at %s", c.name, c.from, c.to, c.at)
}

// pass is one walk from the first page. Once a full first page gives the
// total, the pages up to it are requested ahead, up to p.concurrency at a
// time, and taken in page order, so the result is the serial walk's.
func (p pager[T]) pass(ctx context.Context, col *collector[T]) error {
	fl := newFlight(ctx, p.fetch, max(1, p.concurrency))
	defer fl.stop()
	w := &walkState[T]{pager: p, col: col, seen: map[string]bool{}, taken: map[pageRef]bool{}, next: p.scheme.nth(0)}
	for range maxPages {
		w.request(fl)
		ref, pg, err := fl.take()
		if err != nil {
			return err
		}
		if done, err := w.feed(ref, pg, fl); done || err != nil {
			return err
		}
	}
	return fmt.Errorf("%s: gave up after %d pages (next %s): the listing does not end; narrow it with a filter", p.endpoint, maxPages, p.scheme.describe(w.next))
}

// walkState is what one pass knows of the listing so far.
type walkState[T identified] struct {
	pager[T]
	col      *collector[T]
	seen     map[string]bool  // ids of this pass, to notice a page that adds nothing
	taken    map[pageRef]bool // pages of this pass, to notice a link back to one
	next     pageRef          // the page taken next when none is queued
	pages    int              // pages taken in this pass
	received int              // items received in this pass
	total    *int             // the first total of this pass
	trusted  bool             // the pass ends when it has received total items
	ahead    int              // the next page (by nth) to request ahead; 0 when each page depends on the one before
}

// request queues the pages known in advance, or else the next one.
func (w *walkState[T]) request(fl *flight[T]) {
	for w.ahead > 0 && fl.queued() < fl.readAhead() && w.worthAhead(w.ahead) {
		fl.add(w.scheme.nth(w.ahead))
		w.ahead++
	}
	if fl.queued() == 0 {
		fl.add(w.next)
	}
}

// worthAhead: the k-th page starts within the total and, under a cap, at
// most one item past it (the one that tells the listing was truncated).
func (w *walkState[T]) worthAhead(k int) bool {
	last := *w.total
	if room, capped := w.col.room(); capped {
		last = min(last, w.received+1+room)
	}
	return k*w.limit+1 <= last
}

// feed gives one page to the collector and reports whether the pass is done.
func (w *walkState[T]) feed(ref pageRef, pg page[T], fl *flight[T]) (done bool, err error) {
	w.pages++
	w.taken[ref] = true
	if err := w.checkTotal(ref, pg.total); err != nil {
		return false, err
	}
	if len(pg.items) == 0 {
		return true, w.checkEndedEarly(ref)
	}
	added := 0
	for _, item := range pg.items {
		if w.seen[item.itemID()] {
			continue
		}
		w.seen[item.itemID()] = true
		added++
		if w.col.full(item) {
			return true, nil
		}
	}
	w.received += len(pg.items)
	next, end, err := w.scheme.after(ref, len(pg.items), pg.links)
	if err != nil {
		return false, err
	}
	if done, err = w.ends(ref, next, end, pg.links.next != "", fl); done || err != nil {
		return done, err
	}
	w.next = next
	switch {
	case added == 0:
		return false, fmt.Errorf("%s: %w: the page at %s held only ids already received", w.endpoint, ErrNotAdvancing, w.scheme.describe(ref))
	case w.ahead == 0 && w.taken[next]:
		return false, fmt.Errorf("%s: %w: the page at %s points back to %s, already received", w.endpoint, ErrNotAdvancing, w.scheme.describe(ref), w.scheme.describe(next))
	}
	return false, nil
}

// ends applies the stop rules to the page at ref, whose successor is next,
// and decides whether the pages after it can be requested ahead. linked is
// whether the page's links.next names a page after it.
func (w *walkState[T]) ends(ref, next pageRef, end ending, linked bool, fl *flight[T]) (bool, error) {
	switch {
	case !w.trusted:
		return end != more, nil
	case w.received == *w.total && !linked:
		return true, nil
	case w.received == *w.total:
		// The total is reached, yet links.next says a page follows (C15):
		// follow it. An empty page ends the listing; more items make the
		// total untrusted. Offset paging cannot tell, so a total too low by
		// whole pages is trusted there (D14).
		w.serial(fl)
		return false, nil
	case w.received > *w.total:
		// The total is too low: go on page by page until the server ends it.
		w.trusted = false
		w.serial(fl)
		return end != more, nil
	case end == lastPage:
		return false, w.endedEarly(ref, "said no page follows")
	case w.ahead > 0 && (end != more || next != w.scheme.nth(w.pages)):
		// The page after this one is not the one requested ahead: the
		// server caps the page size, or links elsewhere. Go on from where it
		// points.
		w.serial(fl)
	case w.pages == 1 && end == more && next == w.scheme.nth(1):
		w.ahead = 1
	}
	return false, nil
}

func (w *walkState[T]) checkTotal(ref pageRef, total *int) error {
	switch {
	case total == nil:
		return nil
	case w.total == nil:
		w.total, w.trusted = total, true
		w.col.expect(*total)
		return nil
	case *total != *w.total:
		return &listingChange{name: w.scheme.totalName(), from: *w.total, to: *total, at: w.scheme.describe(ref)}
	}
	return nil
}

// checkEndedEarly: an empty page ends the listing, but one that comes before
// the total is reached may hide items past it, and a silently short list
// is worse than an error.
func (w *walkState[T]) checkEndedEarly(ref pageRef) error {
	if w.trusted && w.received < *w.total {
		return w.endedEarly(ref, "came back empty")
	}
	return nil
}

func (w *walkState[T]) endedEarly(ref pageRef, what string) error {
	return fmt.Errorf("%s: the page at %s %s after %d items, but %s is %d: the server ended the listing early; try again",
		w.endpoint, w.scheme.describe(ref), what, w.received, w.scheme.totalName(), *w.total)
}

func (w *walkState[T]) serial(fl *flight[T]) {
	w.ahead = 0
	fl.discard()
}

// flight runs the page requests of one pass, slots at a time in the order
// they were queued, and hands their answers back in that order. A slot
// frees when its request returns, not when its answer is taken, so one slow
// page does not hold the others back. The first request to fail cancels the
// others, and its error is the one reported.
type flight[T identified] struct {
	ctx    context.Context
	cancel context.CancelFunc
	fetch  func(ctx context.Context, ref pageRef) (page[T], error)
	slots  int
	queue  []*pending[T] // not taken yet, in order
	wg     sync.WaitGroup

	mu       sync.Mutex
	running  int
	waiting  []*pending[T] // queued but not sent yet, in order
	firstErr error
}

type pending[T identified] struct {
	ref    pageRef
	ctx    context.Context
	cancel context.CancelFunc
	sent   bool           // under flight.mu
	answer chan answer[T] // buffered, so a request never waits to be taken
}

type answer[T identified] struct {
	page page[T]
	err  error
}

func newFlight[T identified](ctx context.Context, fetch func(context.Context, pageRef) (page[T], error), slots int) *flight[T] {
	ctx, cancel := context.WithCancel(ctx)
	return &flight[T]{ctx: ctx, cancel: cancel, fetch: fetch, slots: slots}
}

// readAhead bounds the pages queued but not taken, and so the answers held
// while an earlier page is slow.
func (fl *flight[T]) readAhead() int { return 4 * fl.slots }

func (fl *flight[T]) queued() int { return len(fl.queue) }

func (fl *flight[T]) add(ref pageRef) {
	ctx, cancel := context.WithCancel(fl.ctx)
	p := &pending[T]{ref: ref, ctx: ctx, cancel: cancel, answer: make(chan answer[T], 1)}
	fl.queue = append(fl.queue, p)
	fl.mu.Lock()
	defer fl.mu.Unlock()
	fl.waiting = append(fl.waiting, p)
	fl.sendLocked()
}

// sendLocked starts waiting requests while slots are free. After a failure
// they still start, and end at once with the cancellation, so that every
// queued page gets an answer.
func (fl *flight[T]) sendLocked() {
	for fl.running < fl.slots && len(fl.waiting) > 0 {
		p := fl.waiting[0]
		fl.waiting = fl.waiting[1:]
		p.sent = true
		fl.running++
		fl.wg.Go(func() { fl.send(p) })
	}
}

func (fl *flight[T]) send(p *pending[T]) {
	pg, err := fl.fetch(p.ctx, p.ref)
	fl.mu.Lock()
	fl.running--
	if err != nil && p.ctx.Err() == nil && fl.firstErr == nil {
		fl.firstErr = err
		fl.cancel()
	}
	fl.sendLocked()
	fl.mu.Unlock()
	p.answer <- answer[T]{pg, err}
}

// take waits for the oldest page. One cancelled because another failed
// reports that failure instead of its cancellation.
func (fl *flight[T]) take() (ref pageRef, pg page[T], err error) {
	p := fl.queue[0]
	fl.queue = fl.queue[1:]
	a := <-p.answer
	p.cancel()
	if a.err != nil {
		fl.mu.Lock()
		defer fl.mu.Unlock()
		if fl.firstErr != nil {
			return p.ref, a.page, fl.firstErr
		}
	}
	return p.ref, a.page, a.err
}

// discard drops every page not taken yet: those not sent are never sent,
// the others are cancelled and waited for.
func (fl *flight[T]) discard() {
	fl.mu.Lock()
	fl.waiting = nil
	fl.mu.Unlock()
	for _, p := range fl.queue {
		p.cancel()
		if p.sent {
			<-p.answer
		}
	}
	fl.queue = nil
}

// stop cancels whatever is queued or running and waits for it, so no request
// outlives its pass.
func (fl *flight[T]) stop() {
	fl.mu.Lock()
	fl.waiting = nil
	fl.mu.Unlock()
	fl.cancel()
	fl.wg.Wait()
}

// collector gathers items of one or more walks, deduplicated by id, up to
// max items (0: no limit), of those keep accepts (nil: all).
type collector[T identified] struct {
	max       int
	keep      func(T) bool
	seen      map[string]bool
	items     []T
	truncated bool // an item beyond max was seen
}

func newCollector[T identified](max int) *collector[T] {
	return &collector[T]{max: max, seen: map[string]bool{}}
}

// full adds item unless it is a duplicate, and reports true (truncated) when
// a new item arrives after max was reached.
func (c *collector[T]) full(item T) bool {
	id := item.itemID()
	if c.seen[id] || c.keep != nil && !c.keep(item) {
		return false
	}
	if c.max > 0 && len(c.items) >= c.max {
		c.truncated = true
		return true
	}
	c.seen[id] = true
	c.items = append(c.items, item)
	return false
}

// expectAtMost bounds the room made ahead for a listing's totalResults, so
// that a wrong total cannot reserve gigabytes.
const expectAtMost = 1 << 20

// expect makes room for n more items at once: listing 100k accounts otherwise
// regrew and copied the slice a few dozen times.
func (c *collector[T]) expect(n int) {
	if room, capped := c.room(); capped {
		n = min(n, room)
	}
	c.items = slices.Grow(c.items, min(n, expectAtMost))
}

// room is how many more items fit, when there is a cap.
func (c *collector[T]) room() (n int, capped bool) {
	if c.max == 0 {
		return 0, false
	}
	return c.max - len(c.items), true
}
