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
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cerby-community/terraform-provider-cerby/internal/provider"
)

// testAPIKey is distinctive so that a leak into state is easy to spot.
const testAPIKey = "acc-test-key-9f4e1c"

// cerbyEnvVars are the variables the provider reads; tests that rely on their
// absence clear them so the developer's shell cannot change the outcome.
var cerbyEnvVars = []string{"CERBY_API_KEY", "CERBY_BEARER_TOKEN", "CERBY_WORKSPACE", "CERBY_ENDPOINT"}

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

// fakeData is what the fake API serves.
type fakeData struct {
	Accounts     []fixture
	Listings     map[string][]fixture // by provider= value, in place of Accounts
	Members      []fixture
	UserAccounts map[string][]fixture // by member id; unknown ids answer 404
	Canned       []cannedResponse     // answered first, one per request, in order
	Always       *cannedResponse      // then answered to every request
}

type recordedRequest struct {
	Path   string
	Query  url.Values
	Header http.Header
}

// fakeAPI is a loopback Cerby Read API that filters and pages like the real
// one and records every request it receives.
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

// expectWalks checks that every walk of a listing asked for the same
// startIndex values (each step re-reads the data source): the first page
// first, the others in any order, since they are in flight together.
func (f *fakeAPI) expectWalks(path string, startIndexes ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		var got []string
		for _, r := range f.requestsTo(path) {
			got = append(got, r.Query.Get("startIndex"))
		}
		if len(got) == 0 || len(got)%len(startIndexes) != 0 {
			return fmt.Errorf("startIndex values %v are not whole walks of %v", got, startIndexes)
		}
		want := pagesInAnyOrder(startIndexes)
		for walk := range slices.Chunk(got, len(startIndexes)) {
			if !slices.Equal(pagesInAnyOrder(walk), want) {
				return fmt.Errorf("startIndex values %v are not repeated walks of %v", got, startIndexes)
			}
		}
		return nil
	}
}

// pagesInAnyOrder keeps the first startIndex first and sorts the others.
func pagesInAnyOrder(startIndexes []string) []string {
	out := slices.Clone(startIndexes)
	slices.Sort(out[1:])
	return out
}

// providerBlock renders a provider "cerby" block from argument lines.
func providerBlock(args ...string) string {
	return "provider \"cerby\" {\n  " + strings.Join(args, "\n  ") + "\n}\n"
}

func (f *fakeAPI) endpointArg() string { return fmt.Sprintf("endpoint = %q", f.server.URL) }

// provider configures the provider against this fake with the test API key.
func (f *fakeAPI) provider(args ...string) string {
	return providerBlock(append([]string{f.endpointArg(), fmt.Sprintf("api_key = %q", testAPIKey)}, args...)...)
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
