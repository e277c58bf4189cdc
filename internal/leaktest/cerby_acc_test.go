package leaktest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/cerby-community/terraform-provider-cerby/internal/cerbysim"
	"github.com/cerby-community/terraform-provider-cerby/internal/clitest"
)

// The Cerby API's rows of the leak matrix: the same searches as the Read
// API's, through the provider's second API generation, whose one credential
// is the API key in X-API-Key.

// cerbyEndpoint is the provider's endpoint for the Cerby API of a server at
// base: its path ends in /api/v1, so the provider infers the Cerby API.
func cerbyEndpoint(base string) string { return base + cerbysim.CerbyAPIPrefix }

// newCerbySession is newSession for a configuration that reads the Cerby API.
func newCerbySession(t *testing.T, cli clitest.CLI, config string, env map[string]string) *session {
	t.Helper()
	s := newSession(t, cli, config, env)
	s.listing = "GET " + cerbysim.CerbyAPIPrefix + "/accounts"
	return s
}

// readAllFour reads every data source the provider has, each way it can be
// asked: accounts and users listed, an account by id and by name, a member's
// accounts by id and by email.
func readAllFour(t *testing.T) string {
	t.Helper()
	ws := leakWorkspace()
	account, name := namedAccount(t, ws)
	member, email := memberWithAccounts(t, ws)
	return fmt.Sprintf(`
data "cerby_accounts" "all" {}
data "cerby_users" "all" {}
data "cerby_account" "by_id" { id = %q }
data "cerby_account" "by_name" { name = %q }
data "cerby_user_accounts" "by_id" { user_id = %q }
data "cerby_user_accounts" "by_email" { user_email = %q }
output "account_ids" { value = data.cerby_accounts.all.ids }
output "member_emails" { value = data.cerby_users.all.users[*].email }
output "account_names" { value = [data.cerby_account.by_id.name, data.cerby_account.by_name.id] }
output "member_account_ids" { value = [data.cerby_user_accounts.by_id.ids, data.cerby_user_accounts.by_email.ids] }
`, account, name, member, email)
}

// namedAccount is an account whose name both APIs serve and no other
// account shares, so that a lookup by name finds it on either.
func namedAccount(t *testing.T, ws *cerbysim.Workspace) (id, name string) {
	t.Helper()
	count := map[string]int{}
	for _, id := range ws.AccountIDs() {
		count[ws.Account(id).String("name")]++
	}
	for _, id := range ws.AccountIDs() {
		attrs, _ := ws.CerbyAPIAccount(id)
		if name := attrs.String("label"); name != "" && count[name] == 1 && ws.Account(id).String("name") == name {
			return id, name
		}
	}
	t.Fatal("the leak workspace has no account with a name of its own on both APIs")
	return "", ""
}

// memberWithAccounts is a member both APIs serve, with an email on both and
// at least one account.
func memberWithAccounts(t *testing.T, ws *cerbysim.Workspace) (id, email string) {
	t.Helper()
	for _, id := range ws.MemberIDs() {
		m := ws.Member(id)
		attrs, _ := ws.CerbyAPIUser(id, false)
		if !m.Bool(cerbysim.KeyOnlyInIdp) && len(ws.AccountsOf(id)) > 0 && m.String("email") != "" && attrs.String("email") == m.String("email") {
			return id, m.String("email")
		}
	}
	t.Fatal("the leak workspace has no member with an email and accounts on both APIs")
	return "", ""
}

// requireCerbyEndpoints fails unless sim saw every Cerby API endpoint the
// four data sources and readCerbyOnly read, and nothing off the Cerby API.
func requireCerbyEndpoints(t *testing.T, sim *cerbysim.Server) {
	t.Helper()
	c := sim.Counters()
	for _, e := range append([]string{cerbysim.EndpointCerbyAccounts, cerbysim.EndpointCerbyAccount, cerbysim.EndpointCerbyUsers, cerbysim.EndpointCerbyUser, cerbysim.EndpointCerbyUserAccounts}, cerbyOnlyEndpoints...) {
		if c.ByEndpoint[e] == 0 {
			t.Errorf("no request to %s: the reads did not all go through the Cerby API (%v)", e, c.ByEndpoint)
		}
	}
	for _, r := range c.Requests {
		if !strings.HasPrefix(r.Path, cerbysim.CerbyAPIPrefix+"/") {
			t.Errorf("%s %s is not on the Cerby API", r.Method, r.Path)
		}
	}
}

// Successful reads of all four data sources through the Cerby API, and of
// those only it has (readCerbyOnly), with each way of passing the key and of
// choosing the API: nothing the CLI writes holds it.
func TestAccLeaks_cerbyAPI_successfulReads(t *testing.T) {
	ways := map[string]struct {
		provider []string
		env      map[string]string
		cerbyURL bool // the endpoint ends in /api/v1; otherwise api or CERBY_API chooses
		// A constant or variable value in the configuration is written into
		// a saved plan by the CLI itself (see TestAccLeaks_successfulReads).
		inSavedPlan bool
	}{
		"CERBY_API_KEY, endpoint ending in /api/v1": {env: map[string]string{"CERBY_API_KEY": apiKey}, cerbyURL: true},
		"API key in a sensitive variable, api = cerby_api": {
			provider:    []string{"api_key = var.cerby_api_key", `api = "cerby_api"`},
			env:         map[string]string{"TF_VAR_cerby_api_key": apiKey},
			inSavedPlan: true,
		},
		"API key in the provider block, CERBY_API and a workspace": {
			provider:    []string{fmt.Sprintf("api_key = %q", apiKey), `workspace = "acme"`},
			env:         map[string]string{"CERBY_API": "cerby_api"},
			inSavedPlan: true,
		},
	}
	forEachCLI(t, func(t *testing.T, cli clitest.CLI) {
		for name, way := range ways {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				sim := newSim()
				endpoint := serve(t, sim)
				if way.cerbyURL {
					endpoint = cerbyEndpoint(endpoint)
				}
				config := providerBlock(endpoint, way.provider...) + readAllFour(t) + readCerbyOnly() +
					"variable \"cerby_api_key\" {\n  type      = string\n  default   = null\n  sensitive = true\n}\n"
				s := newCerbySession(t, cli, config, way.env)
				s.readAll()
				requireCerbyEndpoints(t, sim)
				if way.inSavedPlan {
					delete(s.produced, s.savedPlan)
				}
			})
		}
	})
}

// cerbyEchoing answers every request with status and a Cerby API error body
// that repeats the key received in every member a message is made of
// (title, detail, and meta.loc, which the client appends), as a careless
// server or proxy might.
func cerbyEchoing(status int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get("X-API-Key")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(map[string]any{"errors": []map[string]any{{
			"status": strconv.Itoa(status),
			"code":   "rejected",
			"title":  "Rejected key " + key,
			"detail": fmt.Sprintf("rejected X-API-Key %s, Authorization %s", key, r.Header.Get("Authorization")),
			"meta":   map[string]any{"loc": []string{"header", "X-API-Key", key}},
		}}})
	})
}

// cerbyEchoingHTML answers status with a gateway's HTML page whose title
// holds the key.
func cerbyEchoingHTML(status int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(status)
		fmt.Fprintf(w, "<html><head><title>%d for %s</title></head><body>%s</body></html>", status, r.Header.Get("X-API-Key"), r.Header.Get("X-API-Key"))
	})
}

// echoingText answers 200 with a body that is not JSON and starts by
// quoting the key, which the client's error quotes the start of.
func echoingText() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprintf(w, "X-API-Key %s is not accepted here", r.Header.Get("X-API-Key"))
	})
}

// Every error path of the Cerby API ends in a diagnostic that says what
// went wrong and holds no key, even when the server echoes it back.
func TestAccLeaks_cerbyAPI_errorDiagnostics(t *testing.T) {
	withKey := map[string]string{"CERBY_API_KEY": apiKey}
	const oneAccount = `data "cerby_account" "one" { id = "3f2b6c1e-8d4a-4e5b-9c7d-1a2b3c4d5e6f" }`
	const oneMembersAccounts = `data "cerby_user_accounts" "one" { user_id = "3f2b6c1e-8d4a-4e5b-9c7d-1a2b3c4d5e6f" }`
	const oneTeam = `data "cerby_team" "one" { id = "3f2b6c1e-8d4a-4e5b-9c7d-1a2b3c4d5e6f" }`
	const oneIntegrationsSeats = `data "cerby_integration_users" "one" { integration_id = "3f2b6c1e-8d4a-4e5b-9c7d-1a2b3c4d5e6f" }`
	cases := map[string]struct {
		server  http.Handler // nil: no server is configured at all
		env     map[string]string
		config  string
		want    []string
		provide []string
		// endpoint, when set, is the endpoint instead of the server's.
		endpoint string
	}{
		"401 echoing the key":               {server: cerbyEchoing(http.StatusUnauthorized), env: withKey, want: []string{"401 Unauthorized", "rejected X-API-Key [redacted]", "(at header.X-API-Key.[redacted])"}},
		"403 echoing the key":               {server: cerbyEchoing(http.StatusForbidden), env: withKey, want: []string{"403 Forbidden", "[redacted]"}},
		"404 of an account echoing the key": {server: cerbyEchoing(http.StatusNotFound), env: withKey, want: []string{"404 Not Found", "[redacted]"}, config: oneAccount},
		"404 of a member echoing the key":   {server: cerbyEchoing(http.StatusNotFound), env: withKey, want: []string{"404 Not Found", "[redacted]"}, config: oneMembersAccounts},
		"401 of the Cerby API's own listings echoing the key": {server: cerbyEchoing(http.StatusUnauthorized), env: withKey, config: readCerbyOnly(),
			want: []string{"Cannot read Cerby teams", "Cannot read Cerby vaults", "Cannot read Cerby integrations", "401 Unauthorized", "rejected X-API-Key [redacted]"}},
		"404 of a team echoing the key": {server: cerbyEchoing(http.StatusNotFound), env: withKey, config: oneTeam,
			want: []string{"team 3f2b6c1e-8d4a-4e5b-9c7d-1a2b3c4d5e6f not found", "404 Not Found", "[redacted]"}},
		"404 of an integration's seats echoing the key": {server: cerbyEchoing(http.StatusNotFound), env: withKey, config: oneIntegrationsSeats,
			want: []string{"integration 3f2b6c1e-8d4a-4e5b-9c7d-1a2b3c4d5e6f not found", "404 Not Found", "[redacted]"}},
		"403 of vaults echoing the key": {server: cerbyEchoing(http.StatusForbidden), env: withKey, config: `data "cerby_vaults" "all" {}`,
			want: []string{"403 Forbidden", "Admin", "[redacted]"}},
		"429 until retries run out":           {server: cerbyEchoing(http.StatusTooManyRequests), env: withKey, want: []string{"429 Too Many Requests", "2 attempts", "no Retry-After", "[redacted]"}, provide: []string{"max_retries = 1"}},
		"5xx until retries run out":           {server: cerbyEchoing(http.StatusServiceUnavailable), env: withKey, want: []string{"503 Service Unavailable", "2 attempts", "[redacted]"}, provide: []string{"max_retries = 1"}},
		"HTML 502 with the key in its title":  {server: cerbyEchoingHTML(http.StatusBadGateway), env: withKey, want: []string{"502 Bad Gateway", "HTML page", "[redacted]"}, provide: []string{"max_retries = 0"}},
		"200 with errors[] echoing the key":   {server: cerbyEchoing(http.StatusOK), env: withKey, want: []string{"holds errors and no data"}},
		"200 not JSON, quoting the key":       {server: echoingText(), env: withKey, want: []string{"not valid JSON"}},
		"bearer token refused at plan time":   {server: newSim(), env: map[string]string{"CERBY_BEARER_TOKEN": bearer}, want: []string{"API keys only"}},
		"bearer token beside the key refused": {server: newSim(), env: map[string]string{"CERBY_API_KEY": apiKey, "CERBY_BEARER_TOKEN": bearer}, want: []string{"API keys only"}},
		"plain http to a remote workspace":    {env: withKey, endpoint: "http://acme.cerby.com/api/v1", want: []string{"must use HTTPS"}},
	}
	forEachCLI(t, func(t *testing.T, cli clitest.CLI) {
		for name, tc := range cases {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				endpoint := tc.endpoint
				var sim *cerbysim.Server
				if tc.server != nil {
					sim, _ = tc.server.(*cerbysim.Server)
					endpoint = cerbyEndpoint(serve(t, tc.server))
				}
				config := tc.config
				if config == "" {
					config = `data "cerby_accounts" "all" {}`
				}
				s := newCerbySession(t, cli, providerBlock(endpoint, tc.provide...)+config+"\n", tc.env)
				s.mustFail(tc.want, "plan", "-input=false", "-no-color")
				if sim != nil && len(sim.Counters().Requests) != 0 {
					t.Errorf("the simulator saw %d requests; the error must come before any", len(sim.Counters().Requests))
				}
			})
		}
	})
}

// recorder is a server that keeps what it is sent, credentials only as
// present or absent, and answers 418.
type recorder struct {
	url      string
	mu       sync.Mutex
	requests []string
	keys     int
}

func newRecorder(t *testing.T) *recorder {
	t.Helper()
	rec := &recorder{}
	rec.url = serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.mu.Lock()
		defer rec.mu.Unlock()
		rec.requests = append(rec.requests, r.Method+" "+r.URL.RequestURI())
		if r.Header.Get("X-API-Key") != "" || r.Header.Get("Authorization") != "" {
			rec.keys++
		}
		http.Error(w, "this server must receive nothing", http.StatusTeapot)
	}))
	return rec
}

func (rec *recorder) seen() ([]string, int) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return slices.Clone(rec.requests), rec.keys
}

// A links.next to another host (another port of loopback) is refused
// unsent, in every listing the four data sources and those only the Cerby
// API has walk: that host receives no request at all, so no key, and the
// error names its origin.
func TestAccLeaks_cerbyAPI_nextToAnotherHost(t *testing.T) {
	forEachCLI(t, func(t *testing.T, cli clitest.CLI) {
		t.Parallel()
		elsewhere := newRecorder(t)
		ws := leakWorkspace()
		member, _ := memberWithAccounts(t, ws)
		team, integration := leakTeam(ws), leakIntegration(ws)
		// Pages of one item, so that every listing has a next.
		sim := cerbysim.New(ws, cerbysim.Config{APIKey: apiKey, Faults: cerbysim.Faults{NextOrigin: elsewhere.url}})
		config := providerBlock(cerbyEndpoint(serve(t, sim)), "page_size = 1") + fmt.Sprintf(`
data "cerby_accounts" "all" {}
data "cerby_users" "all" {}
data "cerby_user_accounts" "one" { user_id = %q }
`, member) + readCerbyOnly()
		s := newCerbySession(t, cli, config, map[string]string{"CERBY_API_KEY": apiKey})
		s.mustFail([]string{"points to another origin, " + elsewhere.url, "not followed"}, "plan", "-input=false", "-no-color")
		if requests, keys := elsewhere.seen(); len(requests) > 0 {
			t.Errorf("the other host received %d requests, %d with a credential: %v", len(requests), keys, requests)
		}
		text := strings.Join(strings.Fields(s.produced[s.last+" stdout"]+s.produced[s.last+" stderr"]), " ")
		for _, listing := range []string{"GET /api/v1/accounts", "GET /api/v1/users", "GET /api/v1/users/" + member + "/accounts",
			"GET /api/v1/teams", "GET /api/v1/teams/" + team + "/members", "GET /api/v1/teams/" + team + "/accounts",
			"GET /api/v1/vaults", "GET /api/v1/integrations", "GET /api/v1/integrations/" + integration + "/users"} {
			if !strings.Contains(text, listing+": links.next of the page at page[number] 1 points to another origin") {
				t.Errorf("no error says %s's links.next was refused:\n%s", listing, text)
			}
		}
	})
}

// A redirect to another host on the Cerby API reaches it without the key;
// the data still arrives.
func TestAccLeaks_cerbyAPI_redirectToAnotherHost(t *testing.T) {
	forEachCLI(t, func(t *testing.T, cli clitest.CLI) {
		t.Parallel()
		elsewhere := cerbysim.New(leakWorkspace(), cerbysim.Config{})
		target := strings.Replace(serve(t, elsewhere), "127.0.0.1", "localhost", 1)
		redirect := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("X-API-Key") == "" {
				http.Error(w, "the configured host must get the key", http.StatusBadRequest)
				return
			}
			http.Redirect(w, r, target+r.URL.RequestURI(), http.StatusTemporaryRedirect)
		})
		s := newCerbySession(t, cli, providerBlock(cerbyEndpoint(serve(t, redirect)))+readEverything, map[string]string{"CERBY_API_KEY": apiKey})
		s.readAll()
		seen := elsewhere.Counters().Requests
		if len(seen) == 0 {
			t.Fatal("the other host received no request: the redirect was not followed")
		}
		for _, r := range seen {
			if r.HasAPIKey || r.HasAuthorization {
				t.Errorf("%s %s?%s reached the other host with a credential header", r.Method, r.Path, r.RawQuery)
			}
			if !strings.HasPrefix(r.Path, cerbysim.CerbyAPIPrefix+"/") {
				t.Errorf("%s %s is not on the Cerby API", r.Method, r.Path)
			}
		}
	})
}

// cerbyHostile adds, to the Read API's hostile values, values aimed at the
// Cerby API's bracketed parameter names.
var cerbyHostile = append(slices.Clone(hostile), "a&page[size]=1", "b]&filter[status]=disabled", "%5Bx%5D", "c&page%5Bnumber%5D=9")

// neverSent is the search of cerby_accounts, which the Cerby API cannot
// honour: refused before any request, so it must not reach the network.
const neverSent = "never-sent&filter[application]=x"

var pageNumber = regexp.MustCompile(`^[1-9][0-9]*$`)

// Applications, statuses, searches and emails go into the Cerby API's query
// as filter[application], filter[status] and filter: each arrives as exactly
// one value of its parameter, page[number] and page[size] stay numbers, and
// no other path or parameter is asked for.
func TestAccLeaks_cerbyAPI_hostileValuesStayInTheirParameter(t *testing.T) {
	forEachCLI(t, func(t *testing.T, cli clitest.CLI) {
		t.Parallel()
		sim := newSim()
		var config strings.Builder
		config.WriteString(providerBlock(cerbyEndpoint(serve(t, sim))))
		for i, v := range cerbyHostile {
			fmt.Fprintf(&config, "data \"cerby_accounts\" \"a%d\" {\n  applications = [%q]\n  status = %q\n}\n", i, v, v)
			fmt.Fprintf(&config, "data \"cerby_users\" \"u%d\" {\n  search = %q\n  statuses = [%q]\n}\n", i, v, v)
			fmt.Fprintf(&config, "data \"cerby_account\" \"n%d\" { name = %q }\n", i, v)
		}
		for i, email := range hostileEmails {
			fmt.Fprintf(&config, "data \"cerby_user_accounts\" \"e%d\" { user_email = %q }\n", i, email)
		}
		fmt.Fprintf(&config, "data \"cerby_accounts\" \"refused\" { search = %q }\n", neverSent)
		s := newCerbySession(t, cli, config.String(), map[string]string{"CERBY_API_KEY": apiKey})
		// Nothing has these names, and the simulator refuses these statuses:
		// the reads happen, then fail.
		s.mustFail([]string{"jane@example.com&status=disabled", "`search` cannot be used while the provider reads the Cerby API"}, "plan", "-input=false", "-no-color")

		arrived := map[string]map[string]bool{"filter[application]": {}, "filter[status]": {}, "filter": {}}
		requests := sim.Counters().Requests
		if len(requests) == 0 {
			t.Fatal("the simulator saw no request")
		}
		for _, r := range requests {
			if r.Endpoint != cerbysim.EndpointCerbyAccounts && r.Endpoint != cerbysim.EndpointCerbyUsers {
				t.Errorf("unexpected request %s %s?%s (%s)", r.Method, r.Path, r.RawQuery, r.Endpoint)
				continue
			}
			if strings.Contains(r.RawQuery, "never-sent") {
				t.Errorf("%s?%s: the refused search reached the network", r.Path, r.RawQuery)
			}
			query, err := url.ParseQuery(r.RawQuery)
			if err != nil {
				t.Errorf("%s?%s: badly encoded query: %v", r.Path, r.RawQuery, err)
			}
			for key, values := range query {
				switch key {
				case "page[number]", "page[size]":
					if len(values) != 1 || !pageNumber.MatchString(values[0]) {
						t.Errorf("%s?%s: %s = %q is not one page number", r.Path, r.RawQuery, key, values)
					}
				case "filter[application]", "filter[status]", "filter":
					allowed := cerbyHostile
					if key == "filter" {
						allowed = append(slices.Clone(cerbyHostile), hostileEmails...)
					}
					if len(values) != 1 || !slices.Contains(allowed, values[0]) {
						t.Errorf("%s?%s: %s = %q is not one of the configured values", r.Path, r.RawQuery, key, values)
						continue
					}
					arrived[key][values[0]] = true
				default:
					t.Errorf("%s?%s: parameter %q was never configured", r.Path, r.RawQuery, key)
				}
			}
		}
		for key, values := range map[string][]string{"filter[application]": cerbyHostile, "filter[status]": cerbyHostile, "filter": append(slices.Clone(cerbyHostile), hostileEmails...)} {
			for _, v := range values {
				if !arrived[key][v] {
					t.Errorf("%q never arrived whole as a %s value", v, key)
				}
			}
		}
	})
}

// Ids go into the Cerby API's paths too: anything but a UUID is refused
// before a request.
func TestAccLeaks_cerbyAPI_hostileIDsRefusedAtValidate(t *testing.T) {
	forEachCLI(t, func(t *testing.T, cli clitest.CLI) {
		t.Parallel()
		hostileIDsRefused(t, cli, cerbyEndpoint)
	})
}

// guessingProxy stands for the internet: every request the provider sends
// anywhere but loopback (which Go never proxies) arrives here, is recorded
// and refused.
type guessingProxy struct {
	URL     string
	mu      sync.Mutex
	targets []string
	keys    int // requests that carried the key in a header the proxy sees
}

func newGuessingProxy(t *testing.T) *guessingProxy {
	t.Helper()
	p := &guessingProxy{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.targets = append(p.targets, r.Host)
		if strings.Contains(fmt.Sprint(r.Header), apiKey) {
			p.keys++
		}
		http.Error(w, "this proxy refuses every request", http.StatusForbidden)
	}))
	t.Cleanup(srv.Close)
	p.URL = srv.URL
	return p
}

func (p *guessingProxy) seen() ([]string, int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.targets), p.keys
}

// With a workspace and an endpoint override, the provider contacts the
// endpoint and nothing else: never api.cerby.com, nor <workspace>.cerby.com,
// nor any other host to find out which API a key is for, whether the read
// succeeds or the endpoint refuses the key. A configuration with no
// endpoint shows the proxy sees what leaves loopback: it goes to the
// workspace's host, and only there.
func TestAccNetwork_cerbyAPI_onlyTheEndpoint(t *testing.T) {
	type config struct {
		provider  func(endpoint string) string // the provider block for a server at endpoint
		env       map[string]string
		server    func() http.Handler // nil: newSim
		cerby     bool                // the Cerby API is expected; else the Read API
		fails     []string            // the run must fail saying these; nil: it must succeed
		contacted []string            // the only hosts the proxy may see
	}
	workspaceAnd := func(lines ...string) func(string) string {
		return func(endpoint string) string {
			return providerBlock(endpoint, append([]string{`workspace = "acme"`}, lines...)...)
		}
	}
	configs := map[string]config{
		"workspace and an endpoint ending in /api/v1": {
			provider: func(e string) string { return workspaceAnd()(cerbyEndpoint(e)) }, cerby: true,
		},
		"workspace, api = cerby_api and the server's URL": {provider: workspaceAnd(`api = "cerby_api"`), cerby: true},
		"CERBY_WORKSPACE and CERBY_ENDPOINT ending in /api/v1": {
			provider: func(string) string { return strings.Replace(providerBlock(""), `endpoint = ""`, "", 1) },
			env:      map[string]string{"CERBY_WORKSPACE": "acme"}, cerby: true,
		},
		"workspace and the server's URL (the Read API)": {provider: workspaceAnd()},
		"workspace, api = cerby_api, the endpoint refusing the key": {
			provider: workspaceAnd(`api = "cerby_api"`, "max_retries = 0"), server: func() http.Handler { return cerbyEchoing(http.StatusUnauthorized) },
			cerby: true, fails: []string{"401 Unauthorized"},
		},
		"workspace, the endpoint answering 403": {
			provider: workspaceAnd(`api = "cerby_api"`, "max_retries = 0"), server: func() http.Handler { return cerbyEchoing(http.StatusForbidden) },
			cerby: true, fails: []string{"403 Forbidden"},
		},
		"workspace alone: its own host only": {
			provider: func(string) string {
				return strings.Replace(providerBlock("", `workspace = "acme"`, "max_retries = 0"), `endpoint = ""`, "", 1)
			},
			cerby: true, fails: []string{"GET /api/v1/accounts", "Forbidden"}, contacted: []string{"acme.cerby.com:443"},
		},
	}
	forEachCLI(t, func(t *testing.T, cli clitest.CLI) {
		for name, c := range configs {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				var h http.Handler = newSim()
				if c.server != nil {
					h = c.server()
				}
				sim, _ := h.(*cerbysim.Server)
				base := serve(t, h)
				proxy := newGuessingProxy(t)
				env := map[string]string{"CERBY_API_KEY": apiKey, "HTTPS_PROXY": proxy.URL, "HTTP_PROXY": proxy.URL}
				for k, v := range c.env {
					env[k] = v
				}
				if _, ok := c.env["CERBY_WORKSPACE"]; ok {
					env["CERBY_ENDPOINT"] = cerbyEndpoint(base)
				}
				body := readEverything
				if c.fails == nil {
					body = readAllFour(t)
					if c.cerby {
						body += readCerbyOnly()
					}
				}
				open := newSession
				if c.cerby {
					open = newCerbySession
				}
				s := open(t, cli, c.provider(base)+body, env)
				if c.fails == nil {
					s.readAll()
				} else {
					s.mustFail(c.fails, "plan", "-input=false", "-no-color")
				}
				targets, keys := proxy.seen()
				for _, target := range targets {
					if !slices.Contains(c.contacted, target) {
						t.Errorf("the provider contacted %s, beyond the endpoint", target)
					}
				}
				if len(c.contacted) > 0 && len(targets) == 0 {
					t.Errorf("the proxy saw nothing, though %v is the only host to read: the check cannot see what leaves loopback", c.contacted)
				}
				if keys > 0 {
					t.Errorf("%d requests through the proxy showed it the API key", keys)
				}
				if sim == nil {
					return
				}
				prefix := "/v1/"
				if c.cerby {
					prefix = cerbysim.CerbyAPIPrefix + "/"
				}
				for _, r := range sim.Counters().Requests {
					if !strings.HasPrefix(r.Path, prefix) {
						t.Errorf("%s %s: want only %s… requests", r.Method, r.Path, prefix)
					}
				}
			})
		}
	})
}
