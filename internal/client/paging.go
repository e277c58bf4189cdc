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
	total *int // totalResults, nil when absent
}

// pager walks one listing by startIndex. Serial paging is concurrency 1.
type pager[T identified] struct {
	endpoint    string // for messages, e.g. "GET /v1/accounts"
	limit       int
	concurrency int // pages in flight at once once totalResults is known
	fetch       func(ctx context.Context, startIndex int) (page[T], error)
}

// walk feeds every new item to col until the listing ends or col is full.
// Offset paging cannot survive a listing that changes under it (a removal
// shifts an unread item onto a page already read), so when totalResults
// changes the walk starts over, keeping what col already holds: items present
// throughout come back exactly once, items added or removed meanwhile may or
// may not.
func (p pager[T]) walk(ctx context.Context, col *collector[T]) error {
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

// listingChange is a totalResults that differs from the walk's first one.
type listingChange struct{ from, to, startIndex int }

func (c *listingChange) Error() string {
	return fmt.Sprintf("totalResults went from %d to %d at startIndex %d", c.from, c.to, c.startIndex)
}

// pass is one walk from startIndex 1. Once a full first page gives
// totalResults, the pages up to it are requested ahead, up to p.concurrency
// at a time, and taken in page order, so the result is the serial walk's.
func (p pager[T]) pass(ctx context.Context, col *collector[T]) error {
	fl := newFlight(ctx, p.fetch, max(1, p.concurrency))
	defer fl.stop()
	w := &walkState[T]{pager: p, col: col, seen: map[string]bool{}, next: 1}
	for range maxPages {
		w.request(fl)
		start, pg, err := fl.take()
		if err != nil {
			return err
		}
		if done, err := w.feed(start, pg, fl); done || err != nil {
			return err
		}
	}
	return fmt.Errorf("%s: gave up after %d pages (startIndex %d): the listing does not end; narrow it with a filter", p.endpoint, maxPages, w.next)
}

// walkState is what one pass knows of the listing so far.
type walkState[T identified] struct {
	pager[T]
	col     *collector[T]
	seen    map[string]bool // ids of this pass, to notice a page that adds nothing
	next    int             // startIndex of the page taken next
	total   *int            // the first totalResults of this pass
	trusted bool            // the pass ends when it has received total items
	ahead   int             // startIndex of the next page to request ahead; 0 when the next page depends on this one
}

// request queues the pages known in advance, or else the next one.
func (w *walkState[T]) request(fl *flight[T]) {
	for w.ahead > 0 && fl.queued() < fl.readAhead() && w.ahead <= w.lastNeeded() {
		fl.add(w.ahead)
		w.ahead += w.limit
	}
	if fl.queued() == 0 {
		fl.add(w.next)
	}
}

// lastNeeded is the last startIndex worth requesting ahead: within
// totalResults and, under a cap, at most one item past it (the one that tells
// the listing was truncated).
func (w *walkState[T]) lastNeeded() int {
	last := *w.total
	if room, capped := w.col.room(); capped {
		last = min(last, w.next+room)
	}
	return last
}

// feed gives one page to the collector and reports whether the pass is done.
func (w *walkState[T]) feed(start int, pg page[T], fl *flight[T]) (done bool, err error) {
	if err := w.checkTotal(start, pg.total); err != nil {
		return false, err
	}
	if len(pg.items) == 0 {
		return true, w.checkEndedEarly(start)
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
	w.next = start + len(pg.items)
	done = w.ends(start, len(pg.items), fl)
	if added == 0 && !done {
		return false, fmt.Errorf("%s: %w: the page at startIndex %d held only ids already received", w.endpoint, ErrNotAdvancing, start)
	}
	return done, nil
}

// ends applies the stop rules to a page of n items at start, and decides
// whether the pages after it can be requested ahead.
func (w *walkState[T]) ends(start, n int, fl *flight[T]) bool {
	short := n < w.limit
	switch received := w.next - 1; {
	case !w.trusted:
		return short
	case received == *w.total:
		return true
	case received > *w.total:
		// totalResults is too low: go on page by page until a short one.
		w.trusted = false
		w.serial(fl)
		return short
	case short:
		// More remain after a short page: the server caps the page size, so
		// pages requested ahead start at the wrong places.
		w.serial(fl)
	case start == 1:
		w.ahead = w.next
	}
	return false
}

func (w *walkState[T]) checkTotal(start int, total *int) error {
	switch {
	case total == nil:
		return nil
	case w.total == nil:
		w.total, w.trusted = total, true
		w.col.expect(*total)
		return nil
	case *total != *w.total:
		return &listingChange{from: *w.total, to: *total, startIndex: start}
	}
	return nil
}

// checkEndedEarly: an empty page ends the listing, but one that comes before
// totalResults is reached may hide items past it, and a silently short list
// is worse than an error.
func (w *walkState[T]) checkEndedEarly(start int) error {
	if w.trusted && start-1 < *w.total {
		return fmt.Errorf("%s: the page at startIndex %d came back empty after %d items, but totalResults is %d: the server ended the listing early; try again",
			w.endpoint, start, start-1, *w.total)
	}
	return nil
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
	fetch  func(ctx context.Context, startIndex int) (page[T], error)
	slots  int
	queue  []*pending[T] // not taken yet, in order
	wg     sync.WaitGroup

	mu       sync.Mutex
	running  int
	waiting  []*pending[T] // queued but not sent yet, in order
	firstErr error
}

type pending[T identified] struct {
	start  int
	ctx    context.Context
	cancel context.CancelFunc
	sent   bool           // under flight.mu
	answer chan answer[T] // buffered, so a request never waits to be taken
}

type answer[T identified] struct {
	page page[T]
	err  error
}

func newFlight[T identified](ctx context.Context, fetch func(context.Context, int) (page[T], error), slots int) *flight[T] {
	ctx, cancel := context.WithCancel(ctx)
	return &flight[T]{ctx: ctx, cancel: cancel, fetch: fetch, slots: slots}
}

// readAhead bounds the pages queued but not taken, and so the answers held
// while an earlier page is slow.
func (fl *flight[T]) readAhead() int { return 4 * fl.slots }

func (fl *flight[T]) queued() int { return len(fl.queue) }

func (fl *flight[T]) add(startIndex int) {
	ctx, cancel := context.WithCancel(fl.ctx)
	p := &pending[T]{start: startIndex, ctx: ctx, cancel: cancel, answer: make(chan answer[T], 1)}
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
	pg, err := fl.fetch(p.ctx, p.start)
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
func (fl *flight[T]) take() (startIndex int, pg page[T], err error) {
	p := fl.queue[0]
	fl.queue = fl.queue[1:]
	a := <-p.answer
	p.cancel()
	if a.err != nil {
		fl.mu.Lock()
		defer fl.mu.Unlock()
		if fl.firstErr != nil {
			return p.start, a.page, fl.firstErr
		}
	}
	return p.start, a.page, a.err
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
// max items (0: no limit).
type collector[T identified] struct {
	max       int
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
	if c.seen[id] {
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
