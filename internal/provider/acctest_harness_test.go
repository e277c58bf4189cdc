package provider_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cerby-community/terraform-provider-cerby/internal/provider"
)

// testAPIKey is distinctive so that a leak into state is easy to spot.
const testAPIKey = "acc-test-key-9f4e1c"

// cerbyEnvVars are the variables the provider reads; tests that rely on their
// absence clear them so the developer's shell cannot change the outcome.
var cerbyEnvVars = []string{"CERBY_API", "CERBY_API_KEY", "CERBY_BEARER_TOKEN", "CERBY_WORKSPACE", "CERBY_ENDPOINT"}

// preCheck fails, never skips: under TF_ACC a missing pinned CLI would make
// terraform-plugin-testing try to download one, which cannot work offline.
func preCheck(t *testing.T) {
	t.Helper()
	path := os.Getenv("TF_ACC_TERRAFORM_PATH")
	info, err := os.Stat(path)
	if path == "" || err != nil || info.IsDir() || info.Mode().Perm()&0o111 == 0 {
		t.Fatalf("TF_ACC is set but TF_ACC_TERRAFORM_PATH=%q is not an executable file: "+
			"build the pinned CLIs with `make test` or scripts/install-clis.sh, then run scripts/testacc.sh <terraform|tofu>", path)
	}
}

// accTest runs the steps against a fresh provider instance, so parallel tests
// never share a configured client.
func accTest(t *testing.T, parallel bool, steps ...resource.TestStep) {
	t.Helper()
	tc := resource.TestCase{
		PreCheck: func() { preCheck(t) },
		ProtoV6ProviderFactories: map[string]func() (tfprotov6.ProviderServer, error){
			"cerby": provider.NewServer("test"),
		},
		Steps: steps,
	}
	if parallel {
		resource.ParallelTest(t, tc)
		return
	}
	resource.Test(t, tc)
}

// isolateEnv clears every CERBY_* variable for this test (and makes it serial).
func isolateEnv(t *testing.T) {
	t.Helper()
	for _, name := range cerbyEnvVars {
		t.Setenv(name, "")
		os.Unsetenv(name)
	}
}

// stableSteps reads the configuration, pins the value of `pinned` in a
// terraform_data (a data-source-only plan is always empty), then proves that a
// re-read plans nothing. Every run also checks no credential reached state.
func stableSteps(config, pinned string, checks []statecheck.StateCheck, requestChecks ...resource.TestCheckFunc) []resource.TestStep {
	cfg := config + fmt.Sprintf("\nresource \"terraform_data\" \"pin\" {\n  input = %s\n}\n", pinned)
	return []resource.TestStep{
		{
			Config:            cfg,
			ConfigStateChecks: checks,
			Check:             resource.ComposeAggregateTestCheckFunc(append(requestChecks, noCredentialInState)...),
		},
		{
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
		},
	}
}

// errorSteps plans the configuration once per pattern: RE2 has no lookahead,
// so this is how an error is required to contain several things in any order.
func errorSteps(config string, patterns ...string) []resource.TestStep {
	steps := make([]resource.TestStep, 0, len(patterns))
	for _, p := range patterns {
		steps = append(steps, resource.TestStep{Config: config, PlanOnly: true, ExpectError: regexp.MustCompile(p)})
	}
	return steps
}

// words matches a phrase across the line breaks the CLIs insert when they
// wrap diagnostics.
func words(phrase string) string {
	parts := strings.Fields(phrase)
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return strings.Join(parts, `\s+`)
}

func noCredentialInState(s *terraform.State) error {
	raw, err := json.Marshal(s)
	if err != nil {
		return err
	}
	if strings.Contains(string(raw), testAPIKey) {
		return errors.New("the API key appears in state")
	}
	return nil
}

// fixture is one JSON object as the API sends it.
type fixture = map[string]any

// newFixture builds an account or member object; nil values are sent as JSON null.
func newFixture(id string, fields fixture) fixture {
	f := fixture{"id": id}
	maps.Copy(f, fields)
	return f
}

// uuidN gives readable, valid, ordered UUIDs.
func uuidN(n int) string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", n) }

func mustJSON(v any) string {
	raw, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(raw)
}

// jwtExpiringAt builds an unsigned-looking JWT whose only meaningful claim is exp.
func jwtExpiringAt(exp time.Time) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." +
		enc([]byte(fmt.Sprintf(`{"sub":"acc-test","exp":%d}`, exp.Unix()))) + "." +
		enc([]byte("signature"))
}

// cannedResponse replaces the normal answer to a request.
type cannedResponse struct {
	Status int
	Header map[string]string
	Body   string
	Hang   bool // answer nothing until the client gives up
}

// fakeData is what the fake API serves, through both APIs: fixtures are
// written in the Read API's form and served by the Cerby API as
// cerbyAttributes converts them.
type fakeData struct {
	Accounts     []fixture
	Listings     map[string][]fixture // by application (provider=, filter[application]=), in place of Accounts
	Members      []fixture
	UserAccounts map[string][]fixture // by member id; on the Read API unknown ids answer 404, on the Cerby API the member must be in Members
	Canned       []cannedResponse     // answered first, one per request, in order
	Always       *cannedResponse      // then answered to every request

	// NoMemberAccounts, when set (404, 405), is the Cerby API's answer to
	// GET /api/v1/users/{id}/accounts: a workspace whose API does not offer it.
	NoMemberAccounts int
	// Keyless: the Cerby API answers without an API key, as a host the key
	// must never reach would.
	Keyless bool

	// What only the Cerby API serves (cerbyonly_fake_test.go).
	cerbyOnlyData
}

type recordedRequest struct {
	Path   string
	Query  url.Values
	Header http.Header
}

// fakeAPI is a loopback Cerby API, both generations at once: the Read API
// under /v1 and the Cerby API under /api/v1 (serveCerbyAPI), serving
// the same fakeData. It filters and pages like the real ones and records
// every request it receives.
type fakeAPI struct {
	server *httptest.Server
	data   fakeData

	mu       sync.Mutex
	requests []recordedRequest
	canned   []cannedResponse
}

func newFakeAPI(t *testing.T, data fakeData) *fakeAPI {
	t.Helper()
	f := &fakeAPI{data: data, canned: slices.Clone(data.Canned)}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/accounts", f.listAccounts)
	mux.HandleFunc("GET /v1/accounts/{id}", f.getAccount)
	mux.HandleFunc("GET /v1/admin/users", f.listMembers)
	mux.HandleFunc("GET /v1/users/{id}/accounts", f.userAccounts)
	f.serveCerbyAPI(mux)
	f.server = httptest.NewServer(f.record(mux))
	t.Cleanup(func() {
		f.server.CloseClientConnections()
		f.server.Close()
	})
	return f
}

func (f *fakeAPI) record(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if canned := f.note(r); canned != nil {
			respond(w, r, *canned)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// note records the request and picks the canned answer due, if any.
func (f *fakeAPI) note(r *http.Request) *cannedResponse {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests = append(f.requests, recordedRequest{Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone()})
	if len(f.canned) > 0 {
		next := f.canned[0]
		f.canned = f.canned[1:]
		return &next
	}
	return f.data.Always
}

func respond(w http.ResponseWriter, r *http.Request, c cannedResponse) {
	if c.Hang {
		<-r.Context().Done()
		return
	}
	for k, v := range c.Header {
		w.Header().Set(k, v)
	}
	w.WriteHeader(c.Status)
	fmt.Fprint(w, c.Body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func notFound(w http.ResponseWriter) {
	writeJSON(w, http.StatusNotFound, fixture{"message": "Not found"})
}

func (f *fakeAPI) listAccounts(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	served := f.data.Accounts
	if listing, ok := f.data.Listings[q.Get("provider")]; ok {
		served = listing
	}
	matched := filter(served, func(a fixture) bool {
		return fieldIs(a, "provider", q.Get("provider")) && fieldIs(a, "status", q.Get("status")) &&
			fieldIs(a, "type", q.Get("type")) && fieldIs(a, "role", q.Get("role")) &&
			inCSV(a, "id", q.Get("ids")) && containsFold(a, q.Get("search"), "name")
	})
	page, start, size := paginate(matched, q, "limit")
	writeJSON(w, http.StatusOK, fixture{"startIndex": start, "limit": size, "totalResults": len(matched), "accounts": page})
}

func (f *fakeAPI) getAccount(w http.ResponseWriter, r *http.Request) {
	for _, a := range f.data.Accounts {
		if a["id"] == r.PathValue("id") {
			writeJSON(w, http.StatusOK, a)
			return
		}
	}
	notFound(w)
}

func (f *fakeAPI) listMembers(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	matched := filter(f.data.Members, func(m fixture) bool {
		return inCSV(m, "status", q.Get("status")) && inCSV(m, "id", q.Get("userIds")) &&
			(q.Get("isGuest") == "" || q.Get("isGuest") == strconv.FormatBool(m["isGuest"] == true)) &&
			containsFold(m, q.Get("search"), "email", "firstName", "lastName")
	})
	page, start, size := paginate(matched, q, "count")
	writeJSON(w, http.StatusOK, fixture{"totalResults": len(matched), "itemsPerPage": size, "startIndex": start, "resources": page})
}

func (f *fakeAPI) userAccounts(w http.ResponseWriter, r *http.Request) {
	accounts, ok := f.data.UserAccounts[r.PathValue("id")]
	if !ok {
		notFound(w)
		return
	}
	writeJSON(w, http.StatusOK, accounts)
}

func filter(items []fixture, keep func(fixture) bool) []fixture {
	out := []fixture{}
	for _, it := range items {
		if keep(it) {
			out = append(out, it)
		}
	}
	return out
}

func fieldIs(item fixture, key, want string) bool {
	return want == "" || item[key] == want
}

func inCSV(item fixture, key, csv string) bool {
	return csv == "" || slices.Contains(strings.Split(csv, ","), fmt.Sprint(item[key]))
}

func containsFold(item fixture, search string, keys ...string) bool {
	if search == "" {
		return true
	}
	for _, k := range keys {
		if s, ok := item[k].(string); ok && strings.Contains(strings.ToLower(s), strings.ToLower(search)) {
			return true
		}
	}
	return false
}

// paginate serves the 1-based item window startIndex..startIndex+size-1.
func paginate(items []fixture, q url.Values, sizeParam string) (page []fixture, start, size int) {
	start, size = 1, 20
	if v, err := strconv.Atoi(q.Get("startIndex")); err == nil && v > 0 {
		start = v
	}
	if v, err := strconv.Atoi(q.Get(sizeParam)); err == nil && v > 0 {
		size = v
	}
	from := min(start-1, len(items))
	return items[from:min(from+size, len(items))], start, size
}

// requestsTo returns the recorded requests for one path, oldest first.
func (f *fakeAPI) requestsTo(path string) []recordedRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []recordedRequest
	for _, r := range f.requests {
		if path == "" || r.Path == path {
			out = append(out, r)
		}
	}
	return out
}

// requireRequests checks the total number of requests once the test is over.
func (f *fakeAPI) requireRequests(t *testing.T, want int) {
	t.Helper()
	if got := len(f.requestsTo("")); got != want {
		t.Errorf("fake API received %d requests, want %d", got, want)
	}
}

// expectQuery passes when some request to path carried exactly these query values.
func (f *fakeAPI) expectQuery(path string, want map[string]string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		reqs := f.requestsTo(path)
		for _, r := range reqs {
			if queryHas(r.Query, want) {
				return nil
			}
		}
		seen := make([]string, len(reqs))
		for i, r := range reqs {
			seen[i] = r.Query.Encode()
		}
		return fmt.Errorf("no request to %s with query %v; received: %q", path, want, seen)
	}
}

func queryHas(q url.Values, want map[string]string) bool {
	for k, v := range want {
		if len(q[k]) != 1 || q[k][0] != v {
			return false
		}
	}
	return true
}

// expectEveryRequest checks headers on everything the fake received.
func (f *fakeAPI) expectEveryRequest(present map[string]string, absent ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		reqs := f.requestsTo("")
		if len(reqs) == 0 {
			return errors.New("the fake API received no request")
		}
		for _, r := range reqs {
			for k, v := range present {
				if got := r.Header.Values(k); len(got) != 1 || got[0] != v {
					return fmt.Errorf("request to %s: header %s = %q, want %q", r.Path, k, redact(got), redact([]string{v}))
				}
			}
			for _, k := range absent {
				if _, ok := r.Header[http.CanonicalHeaderKey(k)]; ok {
					return fmt.Errorf("request to %s carries header %s, which it must not", r.Path, k)
				}
			}
		}
		return nil
	}
}

// redact keeps a failing header check from printing a credential in full.
func redact(values []string) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = v[:min(len(v), 12)] + "…"
	}
	return out
}

// expectWalks checks that every walk of a listing asked for the same pages
// (each step re-reads the data source), numbered from 1 and of size items,
// as the API names them: the first page first, the others in any order,
// since they are in flight together.
func (f *fakeAPI) expectWalks(api accAPI, path string, size int, pages ...int) resource.TestCheckFunc {
	param := api.pageParam()
	want := make([]string, len(pages))
	for i, n := range pages {
		want[i] = api.page(path, n, size)[param]
	}
	return func(*terraform.State) error {
		var got []string
		for _, r := range f.requestsTo(path) {
			got = append(got, r.Query.Get(param))
		}
		if len(got) == 0 || len(got)%len(want) != 0 {
			return fmt.Errorf("%s values %v are not whole walks of %v", param, got, want)
		}
		for walk := range slices.Chunk(got, len(want)) {
			if !slices.Equal(pagesInAnyOrder(walk), pagesInAnyOrder(want)) {
				return fmt.Errorf("%s values %v are not repeated walks of %v", param, got, want)
			}
		}
		return nil
	}
}

// pagesInAnyOrder keeps the first page first and sorts the others.
func pagesInAnyOrder(pages []string) []string {
	out := slices.Clone(pages)
	slices.Sort(out[1:])
	return out
}

// expectSequence passes when the requests received, in order, are this
// sequence of paths repeated (once per read): a read that must ask one thing
// before another, and nothing else.
func (f *fakeAPI) expectSequence(paths ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		var got []string
		for _, r := range f.requestsTo("") {
			got = append(got, r.Path)
		}
		if len(got) == 0 || len(got)%len(paths) != 0 {
			return fmt.Errorf("requests to %v are not repeated sequences of %v", got, paths)
		}
		for seq := range slices.Chunk(got, len(paths)) {
			if !slices.Equal(seq, paths) {
				return fmt.Errorf("requests to %v are not repeated sequences of %v", got, paths)
			}
		}
		return nil
	}
}

// expectOnlyParams passes when every request to path carried no query
// parameter but these: what the provider applies itself is never sent.
func (f *fakeAPI) expectOnlyParams(path string, allowed ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		reqs := f.requestsTo(path)
		if len(reqs) == 0 {
			return fmt.Errorf("no request to %s", path)
		}
		for _, r := range reqs {
			for k := range r.Query {
				if !slices.Contains(allowed, k) {
					return fmt.Errorf("a request to %s carried %s (query %s); only %v may be sent", path, k, r.Query.Encode(), allowed)
				}
			}
		}
		return nil
	}
}

// providerBlock renders a provider "cerby" block from argument lines.
func providerBlock(args ...string) string {
	return "provider \"cerby\" {\n  " + strings.Join(args, "\n  ") + "\n}\n"
}

// configureDiagnostics validates and configures the provider over the plugin
// protocol, the way a CLI does, and returns every diagnostic. CLI runs cannot
// show warnings, nor prove a value is absent from a message (the CLI prints
// the configuration source next to the diagnostic), so those checks use this.
func configureDiagnostics(t *testing.T, args map[string]tftypes.Value) []*tfprotov6.Diagnostic {
	t.Helper()
	ctx := context.Background()
	server, err := provider.NewServer("test")()
	if err != nil {
		t.Fatalf("starting the provider server: %v", err)
	}
	schema, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || schema.Provider == nil {
		t.Fatalf("reading the provider schema: %v %v", err, schema.Diagnostics)
	}
	objType := schema.Provider.ValueType().(tftypes.Object)
	values := map[string]tftypes.Value{}
	for name, typ := range objType.AttributeTypes {
		values[name] = tftypes.NewValue(typ, nil)
	}
	for name, v := range args {
		if _, ok := values[name]; !ok {
			t.Fatalf("the provider schema has no attribute %q", name)
		}
		values[name] = v
	}
	config, err := tfprotov6.NewDynamicValue(objType, tftypes.NewValue(objType, values))
	if err != nil {
		t.Fatalf("encoding the provider configuration: %v", err)
	}
	validated, err := server.ValidateProviderConfig(ctx, &tfprotov6.ValidateProviderConfigRequest{Config: &config})
	if err != nil {
		t.Fatalf("ValidateProviderConfig: %v", err)
	}
	diags := validated.Diagnostics
	if hasError(diags) {
		return diags
	}
	configured, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.5.7", Config: &config})
	if err != nil {
		t.Fatalf("ConfigureProvider: %v", err)
	}
	return append(diags, configured.Diagnostics...)
}

func hasError(diags []*tfprotov6.Diagnostic) bool {
	return slices.ContainsFunc(diags, func(d *tfprotov6.Diagnostic) bool {
		return d.Severity == tfprotov6.DiagnosticSeverityError
	})
}

// requireNoDiagnosticContains fails if any diagnostic text includes secret.
func requireNoDiagnosticContains(t *testing.T, diags []*tfprotov6.Diagnostic, secret string) {
	t.Helper()
	for _, d := range diags {
		if strings.Contains(d.Summary+d.Detail, secret) {
			t.Errorf("diagnostic %q reveals a credential", d.Summary)
		}
	}
}

// accAPI is one API generation as the acceptance tests see it, the
// dimension every data source test runs along: how the provider is pointed
// at it, what its requests look like, and what it fills.
type accAPI struct {
	name      string // the subtest name, and the value of the provider's api attribute
	cerby     bool
	prefix    string // of every path the API serves
	suffix    string // appended to the fake's URL to make the endpoint that means this API
	usersPath string // the members listing
	// params names the query parameter each data source argument is sent as:
	// "" when the provider applies it itself, absent when the API refuses it.
	params map[string]string
	// The account and member attributes this API never sends: null through it.
	unfilledAccount, unfilledMember []string
}

var apis = []accAPI{
	{
		name: "read_api", prefix: "/v1", usersPath: "/v1/admin/users",
		params: map[string]string{
			"cerby_accounts.search": "search", "cerby_accounts.status": "status", "cerby_accounts.type": "type",
			"cerby_accounts.role": "role", "cerby_accounts.applications": "provider", "cerby_accounts.account_ids": "ids",
			"cerby_account.name": "search",
			"cerby_users.search": "search", "cerby_users.statuses": "status", "cerby_users.user_ids": "userIds",
			"cerby_users.is_guest": "isGuest", "cerby_users.only_in_idp": "onlyInIdp",
			"cerby_user_accounts.user_email": "search",
		},
		unfilledAccount: []string{"has_passkey", "last_password_change"},
	},
	{
		name: "cerby_api", cerby: true, prefix: "/api/v1", suffix: "/api/v1", usersPath: "/api/v1/users",
		params: map[string]string{
			"cerby_accounts.status": "filter[status]", "cerby_accounts.applications": "filter[application]",
			"cerby_accounts.account_ids": "",
			"cerby_account.name":         "",
			"cerby_users.search":         "filter", "cerby_users.statuses": "filter[status]", "cerby_users.user_ids": "",
			"cerby_users.is_guest":           "filter[isGuest]",
			"cerby_user_accounts.user_email": "filter",
		},
		// contract/cerby-api.md §5.1 and §5.2: the Read API's own attributes.
		unfilledAccount: []string{
			"username", "vault_id", "idek_id", "permissions_json", "role", "type", "domains_json", "original_email",
			"original_phone", "rotated_by_user", "workspace_policy_result", "workspace_policy_check_date",
		},
		unfilledMember: []string{"meta_json"},
	},
}

// forEachAPI runs the test once per API, as subtests named after it.
func forEachAPI(t *testing.T, test func(t *testing.T, api accAPI)) {
	t.Helper()
	for _, api := range apis {
		t.Run(api.name, func(t *testing.T) { test(t, api) })
	}
}

func (a accAPI) accountsPath() string              { return a.prefix + "/accounts" }
func (a accAPI) accountPath(id string) string      { return a.prefix + "/accounts/" + id }
func (a accAPI) userAccountsPath(id string) string { return a.prefix + "/users/" + id + "/accounts" }
func (a accAPI) honours(argument string) bool      { _, ok := a.params[argument]; return ok }
func (a accAPI) param(argument string) string      { return a.params[argument] }
func (a accAPI) endpoint(f *fakeAPI) string        { return f.server.URL + a.suffix }
func (a accAPI) endpointArg(f *fakeAPI) string     { return fmt.Sprintf("endpoint = %q", a.endpoint(f)) }
func (a accAPI) apiArg() string                    { return fmt.Sprintf("api = %q", a.name) }
func (a accAPI) accountFields(fields map[string]knownvalue.Check) map[string]knownvalue.Check {
	return withNulls(fields, a.unfilledAccount)
}

func (a accAPI) memberFields(fields map[string]knownvalue.Check) map[string]knownvalue.Check {
	return withNulls(fields, a.unfilledMember)
}

// withNulls makes null those of fields the API never sends.
func withNulls(fields map[string]knownvalue.Check, null []string) map[string]knownvalue.Check {
	out := maps.Clone(fields)
	for _, name := range null {
		if _, ok := out[name]; ok {
			out[name] = knownvalue.Null()
		}
	}
	return out
}

// memberAccountsReads are the requests a read of a member's accounts makes,
// in order: the Cerby API finds the member first (C8).
func (a accAPI) memberAccountsReads(id string) []string {
	if a.cerby {
		return []string{a.prefix + "/users/" + id, a.userAccountsPath(id)}
	}
	return []string{a.userAccountsPath(id)}
}

// provider configures the provider against the fake with the test API key,
// the API inferred from the endpoint alone.
func (a accAPI) provider(f *fakeAPI, args ...string) string {
	return providerBlock(append([]string{a.endpointArg(f), fmt.Sprintf("api_key = %q", testAPIKey)}, args...)...)
}

// explicitProvider names the API in the api attribute, beside the fake's
// bare URL.
func (a accAPI) explicitProvider(f *fakeAPI, args ...string) string {
	return providerBlock(append([]string{a.apiArg(), fmt.Sprintf("endpoint = %q", f.server.URL), fmt.Sprintf("api_key = %q", testAPIKey)}, args...)...)
}

// pageParam is the query parameter that tells the pages of a listing apart.
func (a accAPI) pageParam() string {
	if a.cerby {
		return "page[number]"
	}
	return "startIndex"
}

// page is the paging query of page n (from 1) of size items of the listing
// at path.
func (a accAPI) page(path string, n, size int) map[string]string {
	if a.cerby {
		return map[string]string{"page[number]": strconv.Itoa(n), "page[size]": strconv.Itoa(size)}
	}
	sizeParam := "limit"
	if path == a.usersPath {
		sizeParam = "count"
	}
	return map[string]string{"startIndex": strconv.Itoa(1 + (n-1)*size), sizeParam: strconv.Itoa(size)}
}

// pageParams are every query parameter paging uses.
func (a accAPI) pageParams() []string {
	if a.cerby {
		return []string{"page[number]", "page[size]"}
	}
	return []string{"startIndex", "limit", "count"}
}

// errorBody is an error answer in the API's own form.
func (a accAPI) errorBody(status int, detail string) string {
	if a.cerby {
		return cerbyErrorBody(status, detail, nil)
	}
	return mustJSON(fixture{"detail": detail})
}

// wireAccount is what the API sends of an account fixture: the fixture on
// the Read API, the resource's attributes on the Cerby API.
func (a accAPI) wireAccount(item fixture) fixture {
	if a.cerby {
		return cerbyAttributes(item, cerbyAccountAttributes)
	}
	return item
}

// The Cerby API, under /api/v1 (contract/cerby-api.md §3–§7).

// cerbyAccountAttributes and cerbyUserAttributes are contract/cerby-api.md
// §5.1 and §5.2 read backwards: the Cerby API attribute each key of a fixture
// (written in the Read API's form) is served as. A key not listed is a Read
// API attribute the Cerby API does not send. An account's createdBy is sent
// as the plain id it holds, and its email as createdByEmail. A fixture may
// also carry the Cerby API's own hasPasskey and lastPasswordChange, which the
// Read API serves as unknown keys.
var (
	cerbyAccountAttributes = map[string]string{
		"name": "label", "provider": "application", "lastLoginUserName": "lastLoginBy", "hasTotpVirtualDevice": "hasTotp",
		"isEmailManaged": "cerbyManagedEmail", "isPhoneManaged": "cerbyManagedPhone", "avatar_url": "avatarUrl",
		// The same name in both.
		"workspace": "workspace", "createdAt": "createdAt", "updatedAt": "updatedAt", "createdBy": "createdBy",
		"lastLoginDate": "lastLoginDate", "mfaEnabled": "mfaEnabled", "mfaTypes": "mfaTypes", "hasBackupCode": "hasBackupCode",
		"businessId": "businessId", "autofillMfa": "autofillMfa", "passwordSet": "passwordSet", "passwordVisible": "passwordVisible",
		"email": "email", "phone": "phone", "url": "url", "domain": "domain", "status": "status", "rotatedBy": "rotatedBy",
		"rotatedById": "rotatedById", "rotatedAt": "rotatedAt", "syncedAt": "syncedAt", "meta": "meta",
		"hasPasskey": "hasPasskey", "lastPasswordChange": "lastPasswordChange", "someFieldFromTheFuture": "someFieldFromTheFuture",
	}
	cerbyUserAttributes = map[string]string{
		"firstName": "firstName", "lastName": "lastName", "email": "email", "status": "status", "role": "role",
		"isGuest": "isGuest", "createdAt": "createdAt", "updatedAt": "updatedAt", "lastActivity": "lastActivity",
		"someFieldFromTheFuture": "someFieldFromTheFuture",
	}
)

func cerbyAttributes(item fixture, names map[string]string) fixture {
	attrs := fixture{}
	for k, v := range item {
		if name, ok := names[k]; ok {
			attrs[name] = v
		}
	}
	if creator, ok := attrs["createdBy"].(fixture); ok {
		attrs["createdBy"] = creator["id"]
		if email, ok := creator["email"]; ok {
			attrs["createdByEmail"] = email
		}
	}
	return attrs
}

func cerbyResource(item fixture, typ string, names map[string]string) fixture {
	return fixture{"id": item["id"], "type": typ, "attributes": cerbyAttributes(item, names)}
}

const (
	cerbyDefaultPageSize = 25
	cerbyMaxPageSize     = 100
)

func (f *fakeAPI) serveCerbyAPI(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/accounts", f.withAPIKey(f.cerbyListAccounts))
	mux.HandleFunc("GET /api/v1/accounts/{id}", f.withAPIKey(f.cerbyGetAccount))
	mux.HandleFunc("GET /api/v1/users", f.withAPIKey(f.cerbyListUsers))
	mux.HandleFunc("GET /api/v1/users/{id}", f.withAPIKey(f.cerbyGetUser))
	mux.HandleFunc("GET /api/v1/users/{id}/accounts", f.withAPIKey(f.cerbyUserAccounts))
	f.serveCerbyAPIOnly(mux)
	mux.HandleFunc("/api/v1/", func(w http.ResponseWriter, r *http.Request) {
		cerbyError(w, http.StatusNotFound, "No endpoint "+r.Method+" "+r.URL.Path+".", nil)
	})
}

// withAPIKey answers 401 to a request without the test API key in
// X-API-Key, the Cerby API's only credential.
func (f *fakeAPI) withAPIKey(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !f.data.Keyless && r.Header.Get("X-API-Key") != testAPIKey {
			cerbyError(w, http.StatusUnauthorized, "The API key is invalid, expired or deleted, or lacks the scope this endpoint needs.", nil)
			return
		}
		next(w, r)
	}
}

func cerbyErrorBody(status int, detail string, loc []any) string {
	codes := map[int][2]string{
		400: {"validation_error", "Validation error"}, 401: {"unauthorized", "Unauthorized"}, 403: {"forbidden", "Forbidden"},
		404: {"not_found", "Not found"}, 405: {"method_not_allowed", "Method not allowed"}, 429: {"too_many_requests", "Too many requests"},
	}
	code, ok := codes[status]
	if !ok {
		code = [2]string{"error", http.StatusText(status)}
	}
	var meta any
	if loc != nil {
		meta = fixture{"loc": loc}
	}
	return mustJSON(fixture{"errors": []any{fixture{
		"status": strconv.Itoa(status), "code": code[0], "title": code[1], "detail": detail, "meta": meta,
	}}})
}

func cerbyError(w http.ResponseWriter, status int, detail string, loc []any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprint(w, cerbyErrorBody(status, detail, loc))
}

// cerbyQuery checks a request's query: only the parameters allowed, each
// once, enumerated filters among their values, and paging within its bounds
// (page[size] 1 to 100, 25 when not sent); anything else answers 400 naming
// the parameter.
func cerbyQuery(w http.ResponseWriter, r *http.Request, enums map[string][]string, allowed ...string) (q url.Values, number, size int, ok bool) {
	q = r.URL.Query()
	bad := func(name, detail string) (url.Values, int, int, bool) {
		cerbyError(w, http.StatusBadRequest, detail, []any{"query", name})
		return nil, 0, 0, false
	}
	for name, values := range q {
		switch {
		case !slices.Contains(allowed, name):
			return bad(name, "Unknown query parameter "+name+".")
		case len(values) != 1:
			return bad(name, "Query parameter "+name+" is repeated.")
		case enums[name] != nil && !slices.Contains(enums[name], values[0]):
			return bad(name, fmt.Sprintf("Input should be one of %q.", enums[name]))
		}
	}
	number, size = 1, cerbyDefaultPageSize
	if v := q.Get("page[number]"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return bad("page[number]", "Input should be a whole number of at least 1.")
		}
		number = n
	}
	if v := q.Get("page[size]"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > cerbyMaxPageSize {
			return bad("page[size]", fmt.Sprintf("Input should be a whole number from 1 to %d.", cerbyMaxPageSize))
		}
		size = n
	}
	return q, number, size, true
}

// cerbyPage answers one page of a listing: JSON:API resources, root-relative
// links with the brackets percent-encoded, and the listing's total.
func cerbyPage(w http.ResponseWriter, r *http.Request, q url.Values, number, size int, items []fixture, typ string, names map[string]string) {
	cerbyPageOf(w, r, q, number, size, items, func(it fixture) any { return cerbyResource(it, typ, names) })
}

// cerbyPageOf is cerbyPage with each item served as resource makes it.
func cerbyPageOf(w http.ResponseWriter, r *http.Request, q url.Values, number, size int, items []fixture, resource func(fixture) any) {
	from := min((number-1)*size, len(items))
	to := min(from+size, len(items))
	data := make([]any, 0, to-from)
	for _, it := range items[from:to] {
		data = append(data, resource(it))
	}
	link := func(n int) string {
		q := cloneQuery(q)
		q.Set("page[number]", strconv.Itoa(n))
		q.Set("page[size]", strconv.Itoa(size))
		return r.URL.Path + "?" + q.Encode()
	}
	var next any
	if to < len(items) {
		next = link(number + 1)
	}
	writeJSON(w, http.StatusOK, fixture{
		"data":  data,
		"links": fixture{"self": link(number), "next": next},
		"meta":  fixture{"page": fixture{"total": len(items), "maxSize": cerbyMaxPageSize}},
	})
}

func cloneQuery(q url.Values) url.Values {
	out := url.Values{}
	for k, v := range q {
		out[k] = slices.Clone(v)
	}
	return out
}

var pageParams = []string{"page[number]", "page[size]"}

func (f *fakeAPI) cerbyListAccounts(w http.ResponseWriter, r *http.Request) {
	q, number, size, ok := cerbyQuery(w, r, map[string][]string{"filter[status]": {"enabled", "disabled"}},
		append(pageParams, "filter[application]", "filter[status]")...)
	if !ok {
		return
	}
	app := q.Get("filter[application]")
	served := f.data.Accounts
	if listing, ok := f.data.Listings[app]; ok {
		served = listing
	}
	matched := filter(served, func(a fixture) bool {
		return fieldIs(a, "provider", app) && fieldIs(a, "status", q.Get("filter[status]"))
	})
	cerbyPage(w, r, q, number, size, matched, "account", cerbyAccountAttributes)
}

func (f *fakeAPI) cerbyGetAccount(w http.ResponseWriter, r *http.Request) {
	if _, _, _, ok := cerbyQuery(w, r, nil); !ok {
		return
	}
	for _, a := range f.data.Accounts {
		if a["id"] == r.PathValue("id") {
			writeJSON(w, http.StatusOK, fixture{"data": cerbyResource(a, "account", cerbyAccountAttributes), "links": fixture{"self": r.URL.Path}})
			return
		}
	}
	cerbyError(w, http.StatusNotFound, "Account "+r.PathValue("id")+" not found.", nil)
}

func (f *fakeAPI) cerbyListUsers(w http.ResponseWriter, r *http.Request) {
	enums := map[string][]string{"filter[status]": {"live", "pending", "disabled"}, "filter[isGuest]": {"true", "false"}, "mfaStatus": {"true", "false"}}
	q, number, size, ok := cerbyQuery(w, r, enums, append(pageParams, "filter", "filter[status]", "filter[isGuest]", "mfaStatus")...)
	if !ok {
		return
	}
	matched := filter(f.data.Members, func(m fixture) bool {
		fullName := fixture{"name": fmt.Sprintf("%v %v", m["firstName"], m["lastName"])}
		return fieldIs(m, "status", q.Get("filter[status]")) &&
			(q.Get("filter[isGuest]") == "" || q.Get("filter[isGuest]") == strconv.FormatBool(m["isGuest"] == true)) &&
			(containsFold(m, q.Get("filter"), "email", "firstName", "lastName") || containsFold(fullName, q.Get("filter"), "name"))
	})
	names := cerbyUserAttributes
	if q.Get("mfaStatus") == "true" {
		names = cerbyUserAttributesWithMFA // a fixture's mfaStatus, served only when asked
	}
	cerbyPage(w, r, q, number, size, matched, "user", names)
}

func (f *fakeAPI) member(id string) fixture {
	for _, m := range f.data.Members {
		if m["id"] == id {
			return m
		}
	}
	return nil
}

func (f *fakeAPI) cerbyGetUser(w http.ResponseWriter, r *http.Request) {
	if _, _, _, ok := cerbyQuery(w, r, nil); !ok {
		return
	}
	m := f.member(r.PathValue("id"))
	if m == nil {
		cerbyError(w, http.StatusNotFound, "User "+r.PathValue("id")+" not found.", nil)
		return
	}
	writeJSON(w, http.StatusOK, fixture{"data": cerbyResource(m, "user", cerbyUserAttributes), "links": fixture{"self": r.URL.Path}})
}

func (f *fakeAPI) cerbyUserAccounts(w http.ResponseWriter, r *http.Request) {
	if status := f.data.NoMemberAccounts; status != 0 {
		cerbyError(w, status, "No endpoint GET "+r.URL.Path+".", nil)
		return
	}
	q, number, size, ok := cerbyQuery(w, r, nil, pageParams...)
	if !ok {
		return
	}
	if f.member(r.PathValue("id")) == nil {
		cerbyError(w, http.StatusNotFound, "User "+r.PathValue("id")+" not found.", nil)
		return
	}
	cerbyPage(w, r, q, number, size, f.data.UserAccounts[r.PathValue("id")], "account", cerbyAccountAttributes)
}
