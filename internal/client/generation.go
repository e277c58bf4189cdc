package client

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
)

// generation is what one API generation decides: its paths, parameters and
// decoders. Everything else of Client (the transport chain, paging, the stop
// rules, errors, the collector) serves both.
type generation interface {
	// accounts is one listing of accounts, filtered by at most one
	// application; an error when f asks what the API cannot honour.
	accounts(f AccountFilter, app string) (listing[Account], error)
	account(seg string) (path string, decode func(endpoint, body string) (*Account, []string, error))
	users(f UserFilter) (listing[Member], error)
	// userAccounts is the listing of a member's accounts, once the member
	// is known to exist where the API tells that apart.
	userAccounts(ctx context.Context, c *Client, userSeg string) (listing[Account], error)
	// memberAccounts is that listing with no request before it. member,
	// when not nil, tells a missing member from an API that lacks the
	// listing, to be asked only once the listing answered 404 or 405: nil
	// when the member exists, an error matching ErrNotFound when it does
	// not. nil where the listing's 404 already says the member is missing.
	memberAccounts(userSeg string) (l listing[Account], member func(ctx context.Context, c *Client) error)
	// keepAccount and keepMember apply on the client's side what the API's
	// own filters do not apply exactly; nil keeps everything.
	keepAccount(f AccountFilter) func(Account) bool
	keepMember(f UserFilter) func(Member) bool
}

func newGeneration(api API, baseURL string, pageSize int) generation {
	if api == CerbyAPI {
		return cerbyAPI{base: baseURL, limit: pageSize}
	}
	return readAPI{base: baseURL, limit: pageSize}
}

// offsetScheme pages the Read API's way: startIndex from 1, and the page
// size under the name sizeParam.
type offsetScheme struct {
	base, path string // base URL and endpoint path
	query      url.Values
	sizeParam  string
	limit      int
}

func (s offsetScheme) url(ref pageRef) string {
	q := cloneValues(s.query)
	q.Set("startIndex", strconv.Itoa(ref.n))
	q.Set(s.sizeParam, strconv.Itoa(s.limit))
	return s.base + s.path + "?" + q.Encode()
}

func (s offsetScheme) nth(k int) pageRef { return pageRef{n: 1 + k*s.limit} }

func (s offsetScheme) after(ref pageRef, n int, _ pageLinks) (pageRef, ending, error) {
	end := more
	if n < s.limit {
		end = shortPage
	}
	return pageRef{n: ref.n + n}, end, nil
}

func (s offsetScheme) describe(ref pageRef) string { return fmt.Sprintf("startIndex %d", ref.n) }
func (s offsetScheme) totalName() string           { return "totalResults" }

// onePage is an endpoint that is not paged: one request holds it all.
type onePage struct{ base, path string }

func (s onePage) url(pageRef) string { return s.base + s.path }
func (s onePage) nth(int) pageRef    { return pageRef{n: 1} }
func (s onePage) after(pageRef, int, pageLinks) (pageRef, ending, error) {
	return pageRef{n: 2}, lastPage, nil
}
func (s onePage) describe(pageRef) string { return "its only page" }
func (s onePage) totalName() string       { return "the total" }

func cloneValues(q url.Values) url.Values {
	out := make(url.Values, len(q)+2)
	for k, v := range q {
		out[k] = v
	}
	return out
}
