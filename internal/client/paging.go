package client

import (
	"context"
	"fmt"
)

// maxPages bounds a walk so that a server that never ends cannot hang it.
const maxPages = 10_000

// page is one answer of a list endpoint.
type page[T identified] struct {
	items []T
	total *int // totalResults, nil when absent
}

// pager walks one listing: startIndex from 1, advanced by the items received.
type pager[T identified] struct {
	endpoint string // for messages, e.g. "GET /v1/accounts"
	limit    int
	fetch    func(ctx context.Context, startIndex int) (page[T], error)
}

// walk feeds every new item to col until the listing ends or col is full.
// It stops at totalResults, at an empty page, or (without totalResults) at a
// page shorter than asked. A short page with more remaining is a server
// capping its page size, so the walk goes on.
func (p pager[T]) walk(ctx context.Context, col *collector[T]) error {
	seen := map[string]bool{}
	start := 1
	for range maxPages {
		pg, err := p.fetch(ctx, start)
		if err != nil {
			return err
		}
		if len(pg.items) == 0 {
			return nil
		}
		added := 0
		for _, item := range pg.items {
			if seen[item.itemID()] {
				continue
			}
			seen[item.itemID()] = true
			added++
			if col.full(item) {
				return nil
			}
		}
		if added == 0 {
			return fmt.Errorf("%s: %w: the page at startIndex %d held only ids already received", p.endpoint, ErrNotAdvancing, start)
		}
		start += len(pg.items)
		if pg.total != nil && start-1 >= *pg.total || pg.total == nil && len(pg.items) < p.limit {
			return nil
		}
	}
	return fmt.Errorf("%s: gave up after %d pages (startIndex %d): the listing does not end; narrow it with a filter", p.endpoint, maxPages, start)
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
