package cerbysim

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// The Cerby API's paging: page[number] from 1, page[size] from 1 to
// CerbyMaxPageSize, CerbyDefaultPageSize when not sent; meta.page.maxSize is
// always CerbyMaxPageSize.
const (
	CerbyDefaultPageSize = 25
	CerbyMaxPageSize     = 100
	// cerbyMaxPageNumber bounds page[number] so that item positions cannot
	// overflow; a larger one is a validation error.
	cerbyMaxPageNumber = 1_000_000_000
)

// The values the Cerby API's enumerated filters accept.
var (
	cerbyAccountStatuses = []string{"enabled", "disabled"}
	cerbyUserStatuses    = []string{"live", "pending", "disabled"}
)

func (s *Server) dispatchCerby(w http.ResponseWriter, r *http.Request, q url.Values, rt routed) {
	if missing := s.missingScope(rt.endpoint); missing != "" {
		s.fail(w, cerbyAPI, apiError{status: http.StatusUnauthorized, code: "unauthorized",
			detail: fmt.Sprintf("The API key lacks the scope %s this endpoint needs.", missing)})
		return
	}
	switch rt.endpoint {
	case EndpointCerbyAccounts:
		s.cerbyListAccounts(w, r, q, s.state.accountList, s.cfg.CerbyAPI.OwnerOnly)
	case EndpointCerbyAccount:
		s.cerbyGetAccount(w, rt.id)
	case EndpointCerbyUsers:
		s.cerbyListUsers(w, r, q)
	case EndpointCerbyUser:
		s.cerbyGetUser(w, q, rt.id)
	case EndpointCerbyUserAccounts:
		s.cerbyUserAccounts(w, r, q, rt.id)
	case EndpointCerbyTeams:
		s.cerbyTeams(w, r, q)
	case EndpointCerbyTeam:
		s.cerbyTeam(w, rt.id)
	case EndpointCerbyTeamMembers:
		s.cerbyTeamMembers(w, r, q, rt.id)
	case EndpointCerbyTeamAccounts:
		s.cerbyTeamAccounts(w, r, q, rt.id)
	case EndpointCerbyVaults:
		s.cerbyVaults(w, r, q)
	case EndpointCerbyIntegrations:
		s.cerbyIntegrations(w, r, q)
	case EndpointCerbyIntegration:
		s.cerbyIntegration(w, rt.id)
	case EndpointCerbyIntegrationUsers:
		s.cerbyIntegrationUsers(w, r, q, rt.id)
	default:
		s.cerbyNoEndpoint(w, r)
	}
}

// scopeNeed is one scope an endpoint needs: any of anyOf will do, and name
// is the one a refusal names.
type scopeNeed struct {
	name  string
	anyOf []string
}

var (
	needAccounts     = scopeNeed{ScopeReadAccounts, []string{ScopeReadAccounts, ScopeReadItems}}
	needUsers        = scopeNeed{ScopeReadUsers, []string{ScopeReadUsers}}
	needTeams        = scopeNeed{ScopeReadUsers, []string{ScopeReadUsers, ScopeReadTeams}}
	needVaults       = scopeNeed{ScopeReadVaults, []string{ScopeReadVaults}}
	needIntegrations = scopeNeed{ScopeReadIntegrations, []string{ScopeReadIntegrations}}
)

// cerbyScopes are the scopes each endpoint needs, all of them.
var cerbyScopes = map[string][]scopeNeed{
	EndpointCerbyAccounts:         {needAccounts},
	EndpointCerbyAccount:          {needAccounts},
	EndpointCerbyUsers:            {needUsers},
	EndpointCerbyUser:             {needUsers},
	EndpointCerbyUserAccounts:     {needUsers, needAccounts},
	EndpointCerbyTeams:            {needTeams},
	EndpointCerbyTeam:             {needTeams},
	EndpointCerbyTeamMembers:      {needTeams},
	EndpointCerbyTeamAccounts:     {needTeams, needAccounts},
	EndpointCerbyVaults:           {needVaults},
	EndpointCerbyIntegrations:     {needIntegrations},
	EndpointCerbyIntegration:      {needIntegrations},
	EndpointCerbyIntegrationUsers: {needUsers, needIntegrations},
}

// missingScope names a scope the endpoint needs and the key lacks, "" when
// none is missing.
func (s *Server) missingScope(endpoint string) string {
	scopes := s.cfg.CerbyAPI.Scopes
	if scopes == nil {
		return ""
	}
	for _, need := range cerbyScopes[endpoint] {
		if !slices.ContainsFunc(need.anyOf, func(scope string) bool { return slices.Contains(scopes, scope) }) {
			return need.name
		}
	}
	return ""
}

func (s *Server) cerbyNoEndpoint(w http.ResponseWriter, r *http.Request) {
	s.fail(w, cerbyAPI, apiError{status: http.StatusNotFound, code: "not_found", detail: fmt.Sprintf("No endpoint at %s.", r.URL.Path)})
}

// cerbyListing is what one Cerby API listing serves: its items, what the
// between-pages faults change, the filter its parameters asked for (nil:
// none), how an item is encoded, and a filter parameter refused, if any.
type cerbyListing[T any] struct {
	list   func() []T
	change func(insert, remove int)
	match  matcher[T]
	encode func(T) []byte
	err    *paramError
}

// everything is the filter of a listing that has none.
type everything[T any] struct{}

func (everything[T]) active() bool { return false }
func (everything[T]) match(T) bool { return true }

// cerbyList serves every Cerby API listing: page[number] and page[size]
// checked (then the listing's own parameters), the listing faults, links
// and meta.page.total.
func cerbyList[T any](s *Server, w http.ResponseWriter, r *http.Request, q url.Values, l cerbyListing[T]) {
	pg, err := parseCerbyPage(q)
	if err == nil {
		err = l.err
	}
	if err != nil {
		s.fail(w, cerbyAPI, err.apiError())
		return
	}
	if l.match == nil {
		l.match = everything[T]{}
	}
	items, matched := listPage(s, pg.page, l.change, l.list, l.match)
	s.writeCerbyList(w, r, q, pg, matched, itemsJSON(items, l.encode))
}

// cerbyListAccounts serves /accounts, and a member's or a team's accounts
// when list gives them (ownerOnly false). The simulator's key has no owner,
// so by default /accounts lists every account of the workspace: the real
// API lists only the accounts the key's owner holds the Owner role on, but
// serving them all keeps the two APIs' listings of one workspace equal,
// which is what the provider's tests compare. CerbyAPIOptions.OwnerOnly
// applies the real rule.
func (s *Server) cerbyListAccounts(w http.ResponseWriter, r *http.Request, q url.Values, list func() []*accountEntry, ownerOnly bool) {
	f, err := cerbyAccountFilter(q)
	f.ownerOnly = ownerOnly
	cerbyList(s, w, r, q, cerbyListing[*accountEntry]{
		list: list, change: s.state.changeAccounts, match: f, encode: (*accountEntry).cerbyEncoded, err: err,
	})
}

func (s *Server) cerbyGetAccount(w http.ResponseWriter, id string) {
	entry := s.state.account(id)
	if entry == nil || (s.cfg.CerbyAPI.OwnerOnly && !entry.owned()) {
		s.cerbyNotFound(w, "Account", id)
		return
	}
	writeCerbyData(w, entry.cerbyEncoded())
}

func (s *Server) cerbyListUsers(w http.ResponseWriter, r *http.Request, q url.Values) {
	f, err := cerbyUserFilter(q)
	var withMFA bool
	if err == nil {
		withMFA, err = cerbyBool(q, "mfaStatus")
	}
	cerbyList(s, w, r, q, cerbyListing[*memberEntry]{
		list: s.state.memberList, change: s.state.changeMembers, match: f, err: err,
		encode: func(e *memberEntry) []byte { return e.cerbyEncoded(withMFA) },
	})
}

// cerbyGetUser serves a workspace member; people only in the identity
// provider are not members, so they are not found, as in the listing.
func (s *Server) cerbyGetUser(w http.ResponseWriter, q url.Values, id string) {
	withMFA, err := cerbyBool(q, "mfaStatus")
	if err != nil {
		s.fail(w, cerbyAPI, err.apiError())
		return
	}
	entry := s.state.member(id)
	if entry == nil || entry.onlyInIdp {
		s.cerbyNotFound(w, "User", id)
		return
	}
	writeCerbyData(w, entry.cerbyEncoded(withMFA))
}

// cerbyUserAccounts serves a member's accounts like /accounts, filters
// included; CerbyAPIOptions.UserAccounts can take the endpoint away.
func (s *Server) cerbyUserAccounts(w http.ResponseWriter, r *http.Request, q url.Values, id string) {
	if !s.offered(w, r, s.cfg.CerbyAPI.UserAccounts) {
		return
	}
	if m := s.state.member(id); m == nil || m.onlyInIdp {
		s.cerbyNotFound(w, "User", id)
		return
	}
	// Whether the Owner rule applies here too is not known; it does not.
	s.cerbyListAccounts(w, r, q, func() []*accountEntry {
		reached, _ := s.state.accountsOf(id)
		return reached
	}, false)
}

// cerbyPaging is a Cerby API page request: its number and size, and the
// same page in the terms every listing is cut in.
type cerbyPaging struct {
	number, size int
	page         page
}

func parseCerbyPage(q url.Values) (cerbyPaging, *paramError) {
	number, err := intParam(q, "page[number]", 1, 1, cerbyMaxPageNumber)
	if err != nil {
		return cerbyPaging{}, err
	}
	size, err := intParam(q, "page[size]", CerbyDefaultPageSize, 1, CerbyMaxPageSize)
	if err != nil {
		return cerbyPaging{}, err
	}
	return cerbyPaging{number: number, size: size, page: page{start: (number-1)*size + 1, size: size}}, nil
}

func cerbyAccountFilter(q url.Values) (accountFilter, *paramError) {
	statuses, err := enumParam(q, "filter[status]", cerbyAccountStatuses)
	return accountFilter{providers: csvAll(q, "filter[application]"), statuses: statuses}, err
}

// csvAll reads a list parameter sent either way Cerby's texts give one:
// comma-separated, or repeated (an OpenAPI array); both combine.
func csvAll(q url.Values, name string) []string {
	var values []string
	for _, raw := range q[name] {
		values = append(values, csv(raw)...)
	}
	return values
}

func cerbyUserFilter(q url.Values) (memberFilter, *paramError) {
	f := memberFilter{search: strings.ToLower(q.Get("filter"))}
	var err *paramError
	if f.status, err = enumParam(q, "filter[status]", cerbyUserStatuses); err != nil {
		return f, err
	}
	if q.Has("filter[isGuest]") {
		guest, err := cerbyBool(q, "filter[isGuest]")
		if err != nil {
			return f, err
		}
		f.guest = &guest
	}
	return f, nil
}

// paramError is a query parameter the Cerby API refuses: a 400 whose meta
// locates it, in the validation style of the bodies Cerby's customers saw.
type paramError struct {
	param, msg, kind string
}

func (e *paramError) apiError() apiError {
	return apiError{
		status: http.StatusBadRequest,
		code:   "validation_error",
		detail: fmt.Sprintf("Query parameter %s: %s.", e.param, e.msg),
		meta:   map[string]any{"loc": []string{"query", e.param}, "msg": e.msg, "type": e.kind},
	}
}

func intParam(q url.Values, name string, fallback, least, most int) (int, *paramError) {
	if !q.Has(name) {
		return fallback, nil
	}
	raw := q.Get(name)
	n, err := strconv.Atoi(raw)
	switch {
	case err != nil:
		return 0, &paramError{name, fmt.Sprintf("value is not a valid integer, got %q", raw), "type_error.integer"}
	case n < least:
		return 0, &paramError{name, fmt.Sprintf("ensure this value is greater than or equal to %d, got %d", least, n), "value_error.number.not_ge"}
	case n > most:
		return 0, &paramError{name, fmt.Sprintf("ensure this value is less than or equal to %d, got %d", most, n), "value_error.number.not_le"}
	}
	return n, nil
}

// enumParam reads a list parameter (csvAll) whose every value must be allowed.
func enumParam(q url.Values, name string, allowed []string) ([]string, *paramError) {
	values := csvAll(q, name)
	for _, v := range values {
		if !slices.Contains(allowed, v) {
			return nil, &paramError{name, fmt.Sprintf("value is not a valid enumeration member; permitted: %s; got %q", strings.Join(allowed, ", "), v), "type_error.enum"}
		}
	}
	return values, nil
}

func cerbyBool(q url.Values, name string) (bool, *paramError) {
	if !q.Has(name) {
		return false, nil
	}
	value, err := strconv.ParseBool(q.Get(name))
	if err != nil {
		return false, &paramError{name, fmt.Sprintf("value could not be parsed to a boolean, got %q", q.Get(name)), "type_error.bool"}
	}
	return value, nil
}

type cerbyMeta struct {
	Page cerbyPageMeta `json:"page"`
}

type cerbyPageMeta struct {
	MaxSize int  `json:"maxSize"`
	Total   *int `json:"total,omitempty"`
}

// writeCerbyList writes {"data": [...], "links": {...}, "meta": {"page":
// {...}}}; items is the page's items as a JSON array.
func (s *Server) writeCerbyList(w http.ResponseWriter, r *http.Request, q url.Values, pg cerbyPaging, matched int, items []byte) {
	meta := cerbyMeta{Page: cerbyPageMeta{MaxSize: CerbyMaxPageSize}}
	if total, ok := s.cfg.Faults.total(matched, pg.page); ok {
		meta.Page.Total = &total
	}
	metaJSON := encodeJSON(meta)
	body := make([]byte, 0, len(items)+len(metaJSON)+512)
	body = append(body, `{"data":`...)
	body = append(body, items...)
	if !s.cfg.Faults.OmitLinks {
		links, _ := s.cerbyLinks(r, q, pg, matched).MarshalJSON() // strings only: it encodes
		body = append(body, `,"links":`...)
		body = append(body, links...)
	}
	body = append(body, `,"meta":`...)
	body = append(body, metaJSON...)
	body = append(body, '}')
	writeBody(w, http.StatusOK, "application/json", body)
}

// cerbyLinks are root-relative links to the pages around pg, carrying every
// parameter of the request with page[number] and page[size] set, encoded as
// url.Values.Encode does (brackets as %5B and %5D), as the real API's are:
// {"self", "next", "previous"}. next is null on the last page of the
// matched items, previous on page 1; the link faults change them.
func (s *Server) cerbyLinks(r *http.Request, q url.Values, pg cerbyPaging, matched int) Object {
	f := s.cfg.Faults
	at := func(path string, number int) string {
		v := maps.Clone(q)
		if v == nil {
			v = url.Values{}
		}
		v.Set("page[number]", strconv.Itoa(number))
		v.Set("page[size]", strconv.Itoa(pg.size))
		return path + "?" + v.Encode()
	}
	self := at(r.URL.EscapedPath(), pg.number)
	var next, previous string
	if pg.number > 1 {
		previous = at(r.URL.EscapedPath(), pg.number-1)
	}
	switch {
	case f.NextRepeatsSelf:
		next = self
	case pg.number*pg.size < matched:
		path := r.URL.EscapedPath()
		if f.NextPath != "" {
			path = f.NextPath
		}
		next = at(path, pg.number+1)
	}
	if next != "" && f.NextOrigin != "" {
		next = strings.TrimSuffix(f.NextOrigin, "/") + next
	}
	links := Object{Fields: []Field{{Key: "self", Value: encodeJSON(self)}}}
	for _, link := range []struct{ key, value string }{{"next", next}, {"previous", previous}} {
		switch {
		case link.value != "":
			links.Fields = append(links.Fields, Field{Key: link.key, Value: encodeJSON(link.value)})
		case !f.OmitNullLinks:
			links.Fields = append(links.Fields, Field{Key: link.key, Value: json.RawMessage("null")})
		}
	}
	return links
}

// writeCerbyData writes one resource: {"data": {...}}.
func writeCerbyData(w http.ResponseWriter, resource []byte) {
	body := make([]byte, 0, len(resource)+10)
	body = append(body, `{"data":`...)
	body = append(body, resource...)
	body = append(body, '}')
	writeBody(w, http.StatusOK, "application/json", body)
}
