package client

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

const accountsPath = "/v1/accounts"

// ListAccounts walks every page of GET /v1/accounts. Truncated is true when
// MaxItems stopped the walk early. Order: as received, deduplicated by id.
// The service honours one provider per request, so each application is a
// listing of its own, merged by id.
func (c *Client) ListAccounts(ctx context.Context, f AccountFilter) (accounts []Account, truncated bool, err error) {
	if f.MaxItems < 0 {
		return nil, false, fmt.Errorf("max items must be 0 (no limit) or more, got %d", f.MaxItems)
	}
	if slices.Contains(f.Applications, "") {
		return nil, false, errors.New("applications must not contain an empty string; remove it or list application ids such as \"google\"")
	}
	apps := distinct(f.Applications)
	if len(apps) == 0 {
		apps = []string{""} // one unfiltered listing
	}
	col := newCollector[Account](f.MaxItems)
	for _, app := range apps {
		if err := c.accountPager(f, app).walk(ctx, col); err != nil {
			return nil, false, err
		}
		if col.truncated {
			break
		}
	}
	return col.items, col.truncated, nil
}

// AccountNameCandidates reads the accounts that may be named name, for an
// exact match on the caller's side: what the Read API's search finds, or
// every account on the Cerby API, which cannot search.
func (c *Client) AccountNameCandidates(ctx context.Context, name string) ([]Account, error) {
	f := AccountFilter{Search: name}
	if c.api == CerbyAPI {
		f = AccountFilter{}
	}
	accounts, _, err := c.ListAccounts(ctx, f)
	return accounts, err
}

func distinct(values []string) []string {
	var out []string
	for _, v := range values {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

func (c *Client) accountPager(f AccountFilter, app string) pager[Account] {
	return pager[Account]{
		endpoint:    "GET " + accountsPath,
		limit:       c.pageSize,
		concurrency: c.pageConcurrency,
		fetch: func(ctx context.Context, start int) (page[Account], error) {
			q := f.query(app)
			q.Set("startIndex", strconv.Itoa(start))
			q.Set("limit", strconv.Itoa(c.pageSize))
			return listPage[Account](ctx, c, accountsPath, q, ScopeReadAccounts)
		},
	}
}

func (f AccountFilter) query(app string) url.Values {
	q := url.Values{}
	setIf(q, "search", f.Search)
	setIf(q, "status", f.Status)
	setIf(q, "type", f.Type)
	setIf(q, "role", f.Role)
	setIf(q, "provider", app)
	setIf(q, "ids", strings.Join(f.IDs, ","))
	return q
}

func setIf(q url.Values, key, value string) {
	if value != "" {
		q.Set(key, value)
	}
}

// listPage fetches and decodes one page of a list endpoint.
func listPage[T identified](ctx context.Context, c *Client, path string, q url.Values, scope string) (page[T], error) {
	body, err := c.get(ctx, path, q, scope)
	if err != nil {
		return page[T]{}, err
	}
	items, total, err := decodeList[T]("GET "+path, body)
	return page[T]{items: items, total: total}, err
}

// GetAccount reads GET /v1/accounts/{id}; a 404 matches ErrNotFound.
func (c *Client) GetAccount(ctx context.Context, id string) (*Account, error) {
	seg, err := pathSegment("account id", id)
	if err != nil {
		return nil, err
	}
	path := accountsPath + "/" + seg
	body, err := c.get(ctx, path, nil, ScopeReadAccounts)
	if err != nil {
		return nil, err
	}
	return decodeAccount("GET "+path, body)
}

// ListUserAccounts reads GET /v1/users/{id}/accounts (not paginated); a 404
// matches ErrNotFound. Order: as received, deduplicated by id like the paged
// listings.
func (c *Client) ListUserAccounts(ctx context.Context, userID string) ([]Account, error) {
	seg, err := pathSegment("user id", userID)
	if err != nil {
		return nil, err
	}
	path := "/v1/users/" + seg + "/accounts"
	body, err := c.get(ctx, path, nil, ScopeReadAccounts)
	if err != nil {
		return nil, err
	}
	accounts, _, err := decodeList[Account]("GET "+path, body)
	if err != nil {
		return nil, err
	}
	col := newCollector[Account](0)
	col.expect(len(accounts))
	for _, account := range accounts {
		col.full(account)
	}
	return col.items, nil
}
