package cerbysim

import (
	"bytes"
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

func (s *Server) dispatch(w http.ResponseWriter, r *http.Request, endpoint, id string) {
	// url.Values would silently drop a badly encoded pair; a client that
	// sends one should hear about it.
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		writeErrors(w, http.StatusBadRequest, "invalid_query", fmt.Sprintf("The query string is not valid URL encoding: %v.", err), false)
		return
	}
	switch endpoint {
	case EndpointAccounts:
		s.listAccounts(w, q)
	case EndpointAccount:
		s.getAccount(w, id)
	case EndpointMembers:
		s.listMembers(w, q)
	case EndpointMemberAccounts:
		s.memberAccounts(w, id)
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
	s.changeBetweenPages(p, s.state.changeAccounts)
	f := s.cfg.Faults
	matched := withDuplicates(filter(s.state.accountList(), newAccountFilter(q)), f.DuplicateItems)
	head := fmt.Sprintf(`{"startIndex":%d,"limit":%d,%s"accounts":`, p.start, p.size, f.totalField(len(matched)))
	writeItems(w, head, pageOf(matched, p, f), "}")
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
	s.changeBetweenPages(p, s.state.changeMembers)
	faults := s.cfg.Faults
	matched := withDuplicates(filter(s.state.memberList(), f), faults.DuplicateItems)
	head := fmt.Sprintf(`{%s"itemsPerPage":%d,"startIndex":%d,"resources":`, faults.totalField(len(matched)), p.size, p.start)
	writeItems(w, head, pageOf(matched, p, faults), "}")
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
	writeItems(w, "", reached, "")
}

// writeItems writes head, the pre-encoded items as a JSON array, then tail.
func writeItems[T entry](w http.ResponseWriter, head string, items []T, tail string) {
	size := len(head) + len(tail) + 2
	for _, item := range items {
		size += len(item.encoded()) + 1
	}
	var buf bytes.Buffer
	buf.Grow(size)
	buf.WriteString(head)
	buf.WriteByte('[')
	for i, item := range items {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.Write(item.encoded())
	}
	buf.WriteByte(']')
	buf.WriteString(tail)
	writeBody(w, http.StatusOK, "application/json", buf.Bytes())
}

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

type accountFilter struct {
	search, status, itemType, role, provider string
	ids, apps, collections, teams            []string
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
		f.ids != nil || f.apps != nil || f.collections != nil || f.teams != nil
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
		(f.teams == nil || overlaps(f.teams, e.teams))
}

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
