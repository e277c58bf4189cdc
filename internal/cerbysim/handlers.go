package cerbysim

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Page sizes: the documented default, and the cap a real server would apply
// (100 is known to work; nothing larger is documented).
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

func (s *Server) dispatch(w http.ResponseWriter, r *http.Request, rt routed) {
	// url.Values would silently drop a badly encoded pair; a client that
	// sends one should hear about it.
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		s.fail(w, rt.api, apiError{status: http.StatusBadRequest, code: "invalid_query", legacy: legacyErrors,
			detail: fmt.Sprintf("The query string is not valid URL encoding: %v.", err)})
		return
	}
	if rt.api == cerbyAPI {
		s.dispatchCerby(w, r, q, rt)
		return
	}
	switch rt.endpoint {
	case EndpointAccounts:
		s.listAccounts(w, q)
	case EndpointAccount:
		s.getAccount(w, rt.id)
	case EndpointMembers:
		s.listMembers(w, q)
	case EndpointMemberAccounts:
		s.memberAccounts(w, rt.id)
	default:
		writeDetail(w, http.StatusNotFound, fmt.Sprintf("No endpoint at %s.", r.URL.Path))
	}
}

func (s *Server) listAccounts(w http.ResponseWriter, q url.Values) {
	p, err := parsePage(q, "limit")
	if err != nil {
		writeErrors(w, http.StatusBadRequest, "invalid_parameter", err.Error(), false)
		return
	}
	items, matched := listPage(s, p, s.state.changeAccounts, s.state.accountList, matcher[*accountEntry](newAccountFilter(q)))
	head := fmt.Sprintf(`{"startIndex":%d,"limit":%d,%s"accounts":`, p.start, p.size, s.cfg.Faults.totalField(matched, p))
	writeItems(w, head, items, (*accountEntry).encoded, "}")
}

func (s *Server) listMembers(w http.ResponseWriter, q url.Values) {
	p, err := parsePage(q, "count")
	var f memberFilter
	if err == nil {
		f, err = newMemberFilter(q)
	}
	if err != nil {
		writeErrors(w, http.StatusBadRequest, "invalid_parameter", err.Error(), false)
		return
	}
	items, matched := listPage(s, p, s.state.changeMembers, s.state.memberList, matcher[*memberEntry](f))
	head := fmt.Sprintf(`{%s"itemsPerPage":%d,"startIndex":%d,"resources":`, s.cfg.Faults.totalField(matched, p), p.size, p.start)
	writeItems(w, head, items, (*memberEntry).encoded, "}")
}

// listPage is the listing both APIs serve: the between-pages faults act,
// then the filtered list, with the duplicates fault, is cut to the page
// asked for. matched is the length of the whole list the page is cut from.
func listPage[T any](s *Server, p page, change func(insert, remove int), list func() []T, m matcher[T]) (items []T, matched int) {
	s.changeBetweenPages(p, change)
	all := withDuplicates(filter(list(), m), s.cfg.Faults.DuplicateItems)
	return pageOf(all, p, s.cfg.Faults), len(all)
}

// changeBetweenPages lets the between-pages faults act before any page after
// the first, at most ChangeLimit times.
func (s *Server) changeBetweenPages(p page, change func(insert, remove int)) {
	f := s.cfg.Faults
	if p.start > 1 && (f.InsertBetweenPages > 0 || f.RemoveBetweenPages > 0) && s.changes.allow(f.ChangeLimit) {
		change(f.InsertBetweenPages, f.RemoveBetweenPages)
	}
}

func (s *Server) getAccount(w http.ResponseWriter, id string) {
	entry := s.state.account(id)
	if entry == nil {
		writeDetail(w, http.StatusNotFound, fmt.Sprintf("Account %s not found.", id))
		return
	}
	writeBody(w, http.StatusOK, "application/json", entry.body)
}

func (s *Server) memberAccounts(w http.ResponseWriter, memberID string) {
	reached, known := s.state.accountsOf(memberID)
	if !known {
		writeMessage(w, http.StatusNotFound, fmt.Sprintf("User %s not found.", memberID))
		return
	}
	writeItems(w, "", reached, (*accountEntry).encoded, "")
}

// writeItems writes head, the items as a JSON array of their encodings, then
// tail.
func writeItems[T any](w http.ResponseWriter, head string, items []T, encode func(T) []byte, tail string) {
	body := make([]byte, 0, len(head)+itemsSize(items, encode)+len(tail))
	body = append(body, head...)
	body = appendItems(body, items, encode)
	body = append(body, tail...)
	writeBody(w, http.StatusOK, "application/json", body)
}

// itemsJSON is the items as a JSON array of their encodings.
func itemsJSON[T any](items []T, encode func(T) []byte) []byte {
	return appendItems(make([]byte, 0, itemsSize(items, encode)), items, encode)
}

func itemsSize[T any](items []T, encode func(T) []byte) int {
	size := 2
	for _, item := range items {
		size += len(encode(item)) + 1
	}
	return size
}

func appendItems[T any](buf []byte, items []T, encode func(T) []byte) []byte {
	buf = append(buf, '[')
	for i, item := range items {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, encode(item)...)
	}
	return append(buf, ']')
}

// page is the part of a listing asked for, in the Read API's terms: the
// 1-based position of its first item and its size. The Cerby API's page
// numbers are translated into it (cerbyPage), so every fault and the cutting
// are the same for both.
type page struct{ start, size int }

func parsePage(q url.Values, sizeParam string) (page, error) {
	start, err := positiveParam(q, "startIndex", 1)
	if err != nil {
		return page{}, err
	}
	size, err := positiveParam(q, sizeParam, DefaultPageSize)
	if err != nil {
		return page{}, err
	}
	return page{start: start, size: min(size, MaxPageSize)}, nil
}

func positiveParam(q url.Values, name string, fallback int) (int, error) {
	if !q.Has(name) {
		return fallback, nil
	}
	raw := q.Get(name)
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("query parameter %s must be a whole number of at least 1, got %q", name, raw)
	}
	return n, nil
}

// pageOf cuts one page out of the matched items; with the NeverAdvance fault
// always the first, with EmptyPageAt none at that startIndex.
func pageOf[T any](items []T, p page, f Faults) []T {
	start := p.start
	switch {
	case f.EmptyPageAt > 0 && p.start == f.EmptyPageAt:
		return nil
	case f.NeverAdvance:
		start = 1
	}
	from := min(start-1, len(items))
	return items[from:min(from+p.size, len(items))]
}

type matcher[T any] interface {
	active() bool // whether the matcher filters anything out at all
	match(T) bool
}

// filter returns the items that match; the whole list when nothing is asked,
// so an unfiltered listing of a large workspace copies nothing.
func filter[T any](items []T, m matcher[T]) []T {
	if !m.active() {
		return items
	}
	var kept []T
	for _, item := range items {
		if m.match(item) {
			kept = append(kept, item)
		}
	}
	return kept
}

// accountFilter is the account filter of both APIs: the Read API's
// parameters fill most of it, the Cerby API's filter[application] and
// filter[status] (lists, any value matching) fill providers and statuses.
type accountFilter struct {
	search, status, itemType, role, provider string
	ids, apps, collections, teams            []string
	providers, statuses                      []string
	ownerOnly                                bool // the Cerby API's Owner rule
}

func newAccountFilter(q url.Values) accountFilter {
	var provider string
	// Only the first provider counts, as the real service appears to do.
	if providers := csv(q.Get("provider")); len(providers) > 0 {
		provider = providers[0]
	}
	return accountFilter{
		search:      strings.ToLower(q.Get("search")),
		status:      q.Get("status"),
		itemType:    q.Get("type"),
		role:        q.Get("role"),
		provider:    provider,
		ids:         csv(q.Get("ids")),
		apps:        csv(q.Get("app")),
		collections: csv(q.Get("collections")),
		teams:       csv(q.Get("teamIds")),
	}
}

func (f accountFilter) active() bool {
	return f.search != "" || f.status != "" || f.itemType != "" || f.role != "" || f.provider != "" ||
		f.ids != nil || f.apps != nil || f.collections != nil || f.teams != nil || f.providers != nil || f.statuses != nil || f.ownerOnly
}

func (f accountFilter) match(e *accountEntry) bool {
	return (f.search == "" || strings.Contains(e.search, f.search)) &&
		equalUnlessEmpty(f.status, e.status) &&
		equalUnlessEmpty(f.itemType, e.itemType) &&
		(f.role == "" || f.role == e.role || f.role == "account_"+e.role) &&
		equalUnlessEmpty(f.provider, e.provider) &&
		(f.ids == nil || slices.Contains(f.ids, e.id)) &&
		(f.apps == nil || slices.Contains(f.apps, e.appID)) &&
		(f.collections == nil || overlaps(f.collections, e.collections)) &&
		(f.teams == nil || overlaps(f.teams, e.teams)) &&
		(f.providers == nil || slices.Contains(f.providers, e.provider)) &&
		(f.statuses == nil || slices.Contains(f.statuses, e.status)) &&
		(!f.ownerOnly || e.owned())
}

// memberFilter is the member filter of both APIs; the Cerby API fills
// search from filter, status from filter[status] and guest from
// filter[isGuest], and never lists the members only in the identity provider.
type memberFilter struct {
	search      string
	ids, status []string
	guest       *bool
	onlyInIdp   bool
}

func newMemberFilter(q url.Values) (memberFilter, error) {
	f := memberFilter{search: strings.ToLower(q.Get("search")), ids: csv(q.Get("userIds")), status: csv(q.Get("status"))}
	if q.Has("isGuest") {
		guest, err := boolParam(q, "isGuest")
		if err != nil {
			return f, err
		}
		f.guest = &guest
	}
	if q.Has("onlyInIdp") {
		var err error
		if f.onlyInIdp, err = boolParam(q, "onlyInIdp"); err != nil {
			return f, err
		}
	}
	return f, nil
}

// active is always true: members flagged onlyInIdp are left out unless asked for.
func (f memberFilter) active() bool { return true }

func (f memberFilter) match(e *memberEntry) bool {
	return e.onlyInIdp == f.onlyInIdp &&
		(f.search == "" || strings.Contains(e.search, f.search)) &&
		(f.ids == nil || slices.Contains(f.ids, e.id)) &&
		(f.status == nil || slices.Contains(f.status, e.status)) &&
		(f.guest == nil || *f.guest == e.guest)
}

func boolParam(q url.Values, name string) (bool, error) {
	value, err := strconv.ParseBool(q.Get(name))
	if err != nil {
		return false, fmt.Errorf("query parameter %s must be true or false, got %q", name, q.Get(name))
	}
	return value, nil
}

// csv splits a comma-separated value, dropping blanks; nil when none is left.
func csv(raw string) []string {
	var values []string
	for _, v := range strings.Split(raw, ",") {
		if v = strings.TrimSpace(v); v != "" {
			values = append(values, v)
		}
	}
	return values
}

func equalUnlessEmpty(want, got string) bool { return want == "" || want == got }

func overlaps(a, b []string) bool {
	return slices.ContainsFunc(a, func(v string) bool { return slices.Contains(b, v) })
}
