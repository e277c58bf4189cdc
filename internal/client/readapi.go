package client

import (
	"context"
	"net/url"
	"strconv"
	"strings"
)

// readAPI is the legacy Read API (contract/read-api.md).
type readAPI struct {
	base  string
	limit int
}

const (
	readAccountsPath = "/v1/accounts"
	readUsersPath    = "/v1/admin/users"
)

// accounts: the service honours one provider per request (D8).
func (r readAPI) accounts(f AccountFilter, app string) (listing[Account], error) {
	q := url.Values{}
	setIf(q, "search", f.Search)
	setIf(q, "status", f.Status)
	setIf(q, "type", f.Type)
	setIf(q, "role", f.Role)
	setIf(q, "provider", app)
	setIf(q, "ids", strings.Join(f.IDs, ","))
	return offsetListing[Account](r, readAccountsPath, q, "limit", ScopeReadAccounts), nil
}

func (r readAPI) account(seg string) (string, func(string, string) (*Account, []string, error)) {
	return readAccountsPath + "/" + seg, func(endpoint, body string) (*Account, []string, error) {
		account, err := decodeAccount(endpoint, body)
		return account, nil, err
	}
}

func (r readAPI) users(f UserFilter) (listing[Member], error) {
	q := url.Values{}
	setIf(q, "search", f.Search)
	setIf(q, "status", strings.Join(f.Statuses, ","))
	setIf(q, "userIds", strings.Join(f.UserIDs, ","))
	if f.IsGuest != nil {
		q.Set("isGuest", strconv.FormatBool(*f.IsGuest))
	}
	if f.OnlyInIdP != nil {
		q.Set("onlyInIdp", strconv.FormatBool(*f.OnlyInIdP))
	}
	return offsetListing[Member](r, readUsersPath, q, "count", ScopeReadUsers), nil
}

// userAccounts is not paged, and its 404 says the member does not exist.
func (r readAPI) userAccounts(_ context.Context, _ *Client, userSeg string) (listing[Account], error) {
	l, _ := r.memberAccounts(userSeg)
	return l, nil
}

// memberAccounts needs no member check: the listing's 404 is one.
func (r readAPI) memberAccounts(userSeg string) (listing[Account], func(context.Context, *Client) error) {
	path := "/v1/users/" + userSeg + "/accounts"
	return listing[Account]{
		endpoint: "GET " + path,
		scope:    ScopeReadAccounts,
		scheme:   onePage{base: r.base, path: path},
		decode: func(endpoint, body string) (page[Account], error) {
			pg, err := decodeReadPage[Account](endpoint, body)
			pg.total = nil // one page: nothing to check it against
			return pg, err
		},
	}, nil
}

// The Read API's filters are its own; the provider adds none.
func (readAPI) keepAccount(AccountFilter) func(Account) bool { return nil }
func (readAPI) keepMember(UserFilter) func(Member) bool      { return nil }

func offsetListing[T identified](r readAPI, path string, q url.Values, sizeParam, scope string) listing[T] {
	return listing[T]{
		endpoint: "GET " + path,
		scope:    scope,
		scheme:   offsetScheme{base: r.base, path: path, query: q, sizeParam: sizeParam, limit: r.limit},
		decode:   decodeReadPage[T],
	}
}

func decodeReadPage[T identified](endpoint, body string) (page[T], error) {
	items, total, err := decodeList[T](endpoint, body)
	return page[T]{items: items, total: total}, err
}

func setIf(q url.Values, key, value string) {
	if value != "" {
		q.Set(key, value)
	}
}
