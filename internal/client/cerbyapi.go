package client

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// cerbyAPI is the Cerby API (contract/cerby-api.md): JSON:API resources,
// paged by page[number] and page[size], API keys only.
type cerbyAPI struct {
	base  string
	limit int
}

const (
	cerbyAccountsPath = "/api/v1/accounts"
	cerbyUsersPath    = "/api/v1/users"
)

// accounts: search, type and role have no filter here, and a partial match
// cannot be redone exactly on our side (C5); ids are kept by keepAccount.
func (a cerbyAPI) accounts(f AccountFilter, app string) (listing[Account], error) {
	if err := cannotHonour("accounts", map[string]bool{"search": f.Search != "", "type": f.Type != "", "role": f.Role != ""}); err != nil {
		return listing[Account]{}, err
	}
	q := url.Values{}
	setIf(q, "filter[application]", app)
	setIf(q, "filter[status]", f.Status)
	return numberListing(a, cerbyAccountsPath, q, ScopeReadAccounts, decodeCerbyAccount), nil
}

func (a cerbyAPI) account(seg string) (string, func(string, string) (*Account, []string, error)) {
	return cerbyAccountsPath + "/" + seg, func(endpoint, body string) (*Account, []string, error) {
		return decodeCerbyOne(endpoint, body, "account", decodeCerbyAccount)
	}
}

// users: the status and guest filters are reported by a third party only,
// so keepMember applies them exactly whatever the server does (C7); several
// statuses are not sent at all, since how the API takes several is unclear.
func (a cerbyAPI) users(f UserFilter) (listing[Member], error) {
	if err := cannotHonour("users", map[string]bool{"only in IdP": f.OnlyInIdP != nil}); err != nil {
		return listing[Member]{}, err
	}
	q := url.Values{}
	setIf(q, "filter", f.Search)
	if len(f.Statuses) == 1 {
		q.Set("filter[status]", f.Statuses[0])
	}
	if f.IsGuest != nil {
		q.Set("filter[isGuest]", strconv.FormatBool(*f.IsGuest))
	}
	if f.IncludeMFAStatus {
		q.Set("mfaStatus", "true")
	}
	return numberListing(a, cerbyUsersPath, q, ScopeReadUsers, decodeCerbyMember), nil
}

// userAccounts first reads the member, so that a 404 of the listing, whose
// path only a third party reports, is not taken for a missing member (C8).
func (a cerbyAPI) userAccounts(ctx context.Context, c *Client, userSeg string) (listing[Account], error) {
	l, member := a.memberAccounts(userSeg)
	if err := member(ctx, c); err != nil {
		return listing[Account]{}, err
	}
	return l, nil
}

// memberAccounts is the listing alone; member reads GET /users/{id}, whose
// 404 is the one that says the member does not exist (C8).
func (a cerbyAPI) memberAccounts(userSeg string) (listing[Account], func(context.Context, *Client) error) {
	userPath := cerbyUsersPath + "/" + userSeg
	l := numberListing(a, userPath+"/accounts", url.Values{}, ScopeReadAccounts, decodeCerbyAccount)
	l.uncertain = "the member exists, but this workspace's Cerby API does not offer a member's accounts (an endpoint only a third party reports). " +
		"Read them through the legacy Read API instead (api = \"read_api\"), or list accounts with cerby_accounts"
	return l, func(ctx context.Context, c *Client) error {
		body, err := c.get(ctx, userPath, nil, ScopeReadUsers)
		if err != nil {
			return err
		}
		_, _, err = decodeCerbyOne("GET "+userPath, body, "user", decodeCerbyMember)
		return redactError(err, c.secrets)
	}
}

func (cerbyAPI) keepAccount(f AccountFilter) func(Account) bool {
	if len(f.IDs) == 0 {
		return nil
	}
	return func(a Account) bool { return slices.Contains(f.IDs, a.ID) }
}

func (cerbyAPI) keepMember(f UserFilter) func(Member) bool {
	if len(f.UserIDs) == 0 && len(f.Statuses) == 0 && f.IsGuest == nil {
		return nil
	}
	return func(m Member) bool {
		return (len(f.UserIDs) == 0 || slices.Contains(f.UserIDs, m.ID)) &&
			(len(f.Statuses) == 0 || m.Status != nil && slices.Contains(f.Statuses, *m.Status)) &&
			(f.IsGuest == nil || m.IsGuest != nil && *m.IsGuest == *f.IsGuest)
	}
}

// cannotHonour names the filters set that the Cerby API cannot honour.
func cannotHonour(what string, set map[string]bool) error {
	var names []string
	for name, isSet := range set {
		if isSet {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return nil
	}
	slices.Sort(names)
	return fmt.Errorf("the Cerby API cannot filter %s by %s; remove the filter, or use the Read API", what, strings.Join(names, " or "))
}

func numberListing[T identified](a cerbyAPI, path string, q url.Values, scope string, decode resourceDecoder[T]) listing[T] {
	return listing[T]{
		endpoint: "GET " + path,
		scope:    scope,
		scheme:   numberScheme{base: a.base, path: path, query: q, limit: a.limit},
		decode: func(endpoint, body string) (page[T], error) {
			return decodeCerbyList(endpoint, body, decode)
		},
	}
}

// numberScheme pages the Cerby API's way: page[number] from 1 and
// page[size], following links.next where the answer has links (C13–C17).
type numberScheme struct {
	base, path string
	query      url.Values
	limit      int
}

func (s numberScheme) url(ref pageRef) string {
	if ref.link != "" {
		return ref.link
	}
	q := cloneValues(s.query)
	q.Set("page[number]", strconv.Itoa(ref.n))
	q.Set("page[size]", strconv.Itoa(s.limit))
	return s.base + s.path + "?" + q.Encode()
}

func (s numberScheme) nth(k int) pageRef { return pageRef{n: 1 + k} }

// after follows links.next, resolved against the page that carried it. A
// link off the origin or off the listing is refused unsent: the key goes
// nowhere else, and no link leads to another endpoint (C14). A link to the
// page number the scheme would request is named by that number, so that the
// walk can tell it predicted the link.
func (s numberScheme) after(ref pageRef, n int, links pageLinks) (pageRef, ending, error) {
	switch {
	case !links.present:
		end := more
		if n < s.limit {
			end = shortPage
		}
		return pageRef{n: ref.n + 1}, end, nil
	case links.next == "":
		return pageRef{}, lastPage, nil
	}
	here, err := url.Parse(s.url(ref))
	if err != nil {
		return pageRef{}, 0, err
	}
	next, err := here.Parse(links.next)
	if err != nil {
		return pageRef{}, 0, fmt.Errorf("GET %s: links.next of the page at %s is not a URL: %.80q", s.path, s.describe(ref), links.next)
	}
	base, _ := url.Parse(s.base) // normalized by New
	switch {
	case !sameOrigin(next, base):
		return pageRef{}, 0, fmt.Errorf("GET %s: links.next of the page at %s points to another origin, %s://%s: not followed, so that the API key is sent nowhere but %s; the endpoint may be behind a proxy that rewrites links",
			s.path, s.describe(ref), next.Scheme, next.Host, s.base)
	case next.User != nil:
		// Not echoed: user info may hold a password.
		return pageRef{}, 0, fmt.Errorf("GET %s: links.next of the page at %s holds user info (user:password@): not followed", s.path, s.describe(ref))
	case next.EscapedPath() != base.EscapedPath()+s.path: // s.path holds escaped ids
		return pageRef{}, 0, fmt.Errorf("GET %s: links.next of the page at %s leaves the listing (it points to %s): not followed", s.path, s.describe(ref), truncate(cleanText(next.EscapedPath()), 120))
	}
	return s.named(next), more, nil
}

// named is the page number of a link that differs from the scheme's request
// of that number in nothing else, and the link itself otherwise.
func (s numberScheme) named(link *url.URL) pageRef {
	q := link.Query()
	n, err := strconv.Atoi(q.Get("page[number]"))
	if err == nil && n >= 1 {
		q.Del("page[number]")
		want := cloneValues(s.query)
		want.Set("page[size]", strconv.Itoa(s.limit))
		if q.Encode() == want.Encode() {
			return pageRef{n: n}
		}
	}
	return pageRef{link: link.String()}
}

func (s numberScheme) describe(ref pageRef) string {
	if ref.link == "" {
		return fmt.Sprintf("page[number] %d", ref.n)
	}
	if u, err := url.Parse(ref.link); err == nil {
		return "links.next " + truncate(cleanText(u.RequestURI()), 160)
	}
	return "links.next"
}

func (numberScheme) totalName() string { return "meta.page.total" }
