package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
)

// ReadAccess bounds: how many members' accounts are read at once.
const (
	DefaultAccessConcurrency = 8
	MaxAccessConcurrency     = 32
)

// MemberAccess is what ReadAccess read of one member.
type MemberAccess struct {
	UserID   string
	Accounts []Account // as received, deduplicated by id
	// Gone, when not nil, is why the member has no accounts here: it was
	// not found when they were read (listed, then removed). It matches
	// ErrNotFound, and Accounts is nil.
	Gone error
}

// ReadAccess reads the accounts of each of userIDs, at most concurrency
// members at a time, through the client's one transport chain: its rate
// limit, its shared 429 pause and its retries hold for every request. Each
// member's pages are walked one at a time, so that concurrency bounds the
// requests in flight. No request is sent twice: a repeated id is read once.
//
// The results are in the order of userIDs, repeats left out. A member that
// is gone is a result with Gone set; any other error ends the read: the
// first wins, the reads in flight are cancelled, and no other starts.
func (c *Client) ReadAccess(ctx context.Context, userIDs []string, concurrency int) ([]MemberAccess, error) {
	if concurrency < 1 || concurrency > MaxAccessConcurrency {
		return nil, fmt.Errorf("concurrency must be between 1 and %d, got %d", MaxAccessConcurrency, concurrency)
	}
	ids := distinct(userIDs)
	c.log.Debug(ctx, "reading members' accounts", map[string]any{"members": len(ids), "concurrency": concurrency})
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu    sync.Mutex
		first error // the error that ends the read
		read  int   // members whose result is in
	)
	out := make([]MemberAccess, len(ids))
	settle := func(i int, accounts []Account, err error) {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case err == nil:
			out[i] = MemberAccess{UserID: ids[i], Accounts: accounts}
		case errors.Is(err, ErrNotFound):
			out[i] = MemberAccess{UserID: ids[i], Gone: err}
		default:
			if first == nil {
				first = err
				cancel()
			}
			return
		}
		read++
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(concurrency, len(ids)) {
		wg.Go(func() {
			for i := range next {
				if ctx.Err() != nil {
					continue // ended: no other read starts
				}
				accounts, err := c.memberAccounts(ctx, ids[i], 1)
				settle(i, accounts, err)
			}
		})
	}
feed:
	for i := range ids {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	switch {
	case first != nil:
		return nil, first
	case read < len(ids):
		// Cancelled between two members: none failed, some were not read.
		return nil, fmt.Errorf("read the accounts of %d of %d members: %w", read, len(ids), ctx.Err())
	}
	return out, nil
}

// ListMemberAccounts reads a member's accounts as ListUserAccounts does,
// without first asking whether the member exists: that is asked only when
// the listing answers 404 or 405 on the Cerby API, where that status alone
// cannot tell a missing member (the error matches ErrNotFound) from an API
// that does not offer the listing (ErrNotOffered). One request fewer per
// member when the listing is there, as it is for every member but one that
// is gone.
func (c *Client) ListMemberAccounts(ctx context.Context, userID string) ([]Account, error) {
	return c.memberAccounts(ctx, userID, c.pageConcurrency)
}

// memberAccounts is ListMemberAccounts with pageConcurrency pages of the
// member's listing in flight at once.
func (c *Client) memberAccounts(ctx context.Context, userID string, pageConcurrency int) ([]Account, error) {
	seg, err := pathSegment("user id", userID)
	if err != nil {
		return nil, err
	}
	l, member := c.gen.memberAccounts(seg)
	p := newPager(c, l)
	p.concurrency = pageConcurrency
	col := newCollector[Account](0)
	if err := walkOrTell(ctx, c, p, col, member); err != nil {
		return nil, err
	}
	return col.items, nil
}

// walkOrTell walks p into col. A listing whose existence is uncertain that
// answers 404 or 405 is then told apart by exists, which reads what the
// listing belongs to: its error (ErrNotFound when that is gone) is the
// answer, and ErrNotOffered with the listing's note when it exists. A nil
// exists takes the 404 as it is.
func walkOrTell[T identified](ctx context.Context, c *Client, p pager[T], col *collector[T], exists func(context.Context, *Client) error) error {
	err := p.walk(ctx, col)
	if err == nil || exists == nil || !answered(err, http.StatusNotFound, http.StatusMethodNotAllowed) {
		return err
	}
	if err := exists(ctx, c); err != nil {
		return err
	}
	return redactError(p.notOffered(err), c.secrets)
}

// answered reports whether err is an API answer with one of statuses.
func answered(err error, statuses ...int) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && slices.Contains(statuses, apiErr.StatusCode)
}
