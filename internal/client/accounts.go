package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// ListAccounts walks every page of the accounts listing. Truncated is true
// when MaxItems stopped the walk early. Order: as received, deduplicated by
// id. Both APIs honour one application per request, so each application is
// a listing of its own, merged by id.
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
	col.keep = c.gen.keepAccount(f)
	for _, app := range apps {
		l, err := c.gen.accounts(f, app)
		if err != nil {
			return nil, false, err
		}
		if err := newPager(c, l).walk(ctx, col); err != nil {
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

// GetAccount reads one account by id; a 404 matches ErrNotFound.
func (c *Client) GetAccount(ctx context.Context, id string) (*Account, error) {
	seg, err := pathSegment("account id", id)
	if err != nil {
		return nil, err
	}
	path, decode := c.gen.account(seg)
	body, err := c.get(ctx, path, nil, ScopeReadAccounts)
	if err != nil {
		return nil, err
	}
	account, warnings, err := decode("GET "+path, body)
	c.warn(ctx, warnings)
	return account, redactError(err, c.secrets)
}

// ListUserAccounts reads a member's accounts; a member that does not exist
// matches ErrNotFound, an API that does not offer the listing ErrNotOffered.
// Order: as received, deduplicated by id like every listing.
func (c *Client) ListUserAccounts(ctx context.Context, userID string) ([]Account, error) {
	seg, err := pathSegment("user id", userID)
	if err != nil {
		return nil, err
	}
	l, err := c.gen.userAccounts(ctx, c, seg)
	if err != nil {
		return nil, err
	}
	col := newCollector[Account](0)
	if err := newPager(c, l).walk(ctx, col); err != nil {
		return nil, redactError(l.notOffered(err), c.secrets)
	}
	return col.items, nil
}

// notOffered turns a 404 or 405 of an endpoint whose existence is uncertain
// into ErrNotOffered, with the listing's note on what to do.
func (l listing[T]) notOffered(err error) error {
	var apiErr *APIError
	if l.uncertain == "" || !errors.As(err, &apiErr) ||
		apiErr.StatusCode != http.StatusNotFound && apiErr.StatusCode != http.StatusMethodNotAllowed {
		return err
	}
	return &notOfferedError{apiErr: apiErr, note: l.uncertain}
}

// notOfferedError matches ErrNotOffered and, unlike the 404 it wraps, not
// ErrNotFound: what it belongs to does exist.
type notOfferedError struct {
	apiErr *APIError
	note   string
}

func (e *notOfferedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %d %s", e.apiErr.Method, e.apiErr.Path, e.apiErr.StatusCode, http.StatusText(e.apiErr.StatusCode))
	if e.apiErr.Message != "" {
		fmt.Fprintf(&b, ": %s", e.apiErr.Message)
	}
	if e.apiErr.RequestID != "" {
		fmt.Fprintf(&b, " (request id %s)", e.apiErr.RequestID)
	}
	fmt.Fprintf(&b, ". %s", e.note)
	return b.String()
}

func (e *notOfferedError) Is(target error) bool { return target == ErrNotOffered }
