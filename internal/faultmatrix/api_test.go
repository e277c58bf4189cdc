package faultmatrix

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/cerby-community/terraform-provider-cerby/internal/cerbysim"
)

// api is one of the two API generations a row runs against. cerbysim serves
// both at once from one workspace, so a row is the same fault on either; what
// changes is the endpoint the provider is given, how the client names the
// listing in its errors, and what the simulator's data looks like through it.
type api struct {
	name string // the table's API column
	slug string // the subtest's level under the CLI, for -run patterns
	// prefix is added to a server's URL to make the provider's endpoint:
	// none for the Read API, /api/v1 for the Cerby API, which makes the
	// provider infer the Cerby API (contract/cerby-api.md §1) as a
	// configuration for a workspace outside cerby.com would.
	prefix string
	// pathPrefix starts every path the provider may request on this API.
	pathPrefix string
	list       string // the accounts listing, as the client's errors name it
	total      string // the listing's total, as the client's errors name it
	listKey    string // the key of a listing's items
	notAList   string // how the client says a listing lacks that key
	// secondPage is the page after the first 100 items, as the client names it.
	secondPage string
	// pageStart is the opening of an accounts page's body, up to the first
	// item's id, for the servers that write a page themselves.
	pageStart string
	// accountStart opens a listing of one account with an id of "a" and its
	// name, for the oversized body; accountEnd closes the name and the page.
	accountStart, accountEnd string
}

var (
	readAPI = api{
		name: "Read API", slug: "read_api", prefix: "", pathPrefix: "/v1/",
		list: "GET /v1/accounts", total: "totalResults", listKey: "accounts", notAList: "is not a list", secondPage: "startIndex 101",
		pageStart:    `{"startIndex":1,"limit":100,"totalResults":250,"accounts":[{"id":"`,
		accountStart: `{"totalResults":1,"accounts":[{"id":"a","name":"`, accountEnd: `"}]}`,
	}
	cerbyAPI = api{
		name: "Cerby API", slug: "cerby_api", prefix: cerbysim.CerbyAPIPrefix, pathPrefix: cerbysim.CerbyAPIPrefix + "/",
		list: "GET /api/v1/accounts", total: "meta.page.total", listKey: "data", notAList: "has no data key", secondPage: "page[number] 2",
		pageStart:    `{"data":[{"id":"`,
		accountStart: `{"meta":{"page":{"maxSize":100,"total":1}},"data":[{"id":"a","type":"account","attributes":{"label":"`,
		accountEnd:   `"}}]}`,
	}
)

// endpoint is the provider's endpoint for a server at base.
func (a api) endpoint(base string) string { return base + a.prefix }

// account is what the matrix checks of one account beyond its id: its name,
// and last_password_change, which only the Cerby API serves, so that a read
// through the wrong API, or a mapping gone wrong, shows.
type account struct {
	Name               any `json:"name"`
	LastPasswordChange any `json:"last_password_change"`
}

// want is the account as this API serves it; false when ws has no such id.
func (a api) want(ws *cerbysim.Workspace, id string) (account, bool) {
	if a == cerbyAPI {
		attrs, ok := ws.CerbyAPIAccount(id)
		return account{Name: stringOrNull(attrs, "label"), LastPasswordChange: stringOrNull(attrs, "lastPasswordChange")}, ok
	}
	o := ws.Account(id)
	if o == nil {
		return account{}, false
	}
	return account{Name: stringOrNull(*o, "name")}, true
}

// stringOrNull is the value Terraform shows for a string attribute: the
// string, or null when the key is absent or not a string.
func stringOrNull(o cerbysim.Object, key string) any {
	raw, ok := o.Get(key)
	if !ok || len(raw) == 0 || raw[0] != '"' {
		return nil
	}
	return o.String(key)
}

// differences compares the accounts output (id → account) with what ws
// holds, as this API serves it, and describes up to three differences.
func (a api) differences(ws *cerbysim.Workspace, got map[string]any) (n int, some string) {
	var lines []string
	for id, v := range got {
		want, ok := a.want(ws, id)
		if !ok {
			continue // the id check reports it
		}
		raw, _ := json.Marshal(v)
		var have account
		if err := json.Unmarshal(raw, &have); err != nil || have != want {
			n++
			if len(lines) < 3 {
				lines = append(lines, fmt.Sprintf("%s: got %s, want %+v", id, raw, want))
			}
		}
	}
	return n, strings.Join(lines, "; ")
}

// offAPI lists the requests sim saw outside this API's paths: a provider
// that reads the other API (both are served) would pass on ids alone.
func (a api) offAPI(sim *cerbysim.Server) []string {
	var off []string
	for _, r := range sim.Counters().Requests {
		if !strings.HasPrefix(r.Path, a.pathPrefix) {
			off = append(off, r.Method+" "+r.Path)
		}
	}
	return off
}
