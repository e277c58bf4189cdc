package client

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestNormalizeBaseURL(t *testing.T) {
	valid := map[string]string{
		"https://api.cerby.com":              "https://api.cerby.com",
		"https://api.cerby.com/":             "https://api.cerby.com",
		"https://api.cerby.com/v1":           "https://api.cerby.com",
		"https://api.cerby.com/v1/":          "https://api.cerby.com",
		" HTTPS://API.Cerby.com ":            "https://api.cerby.com", //nolint:gocritic // the spaces are the input under test
		"https://proxy.example.com/cerby":    "https://proxy.example.com/cerby",
		"https://api.cerby.com:8443/v1":      "https://api.cerby.com:8443",
		"http://localhost:8080":              "http://localhost:8080",
		"http://127.0.0.1:9/v1/":             "http://127.0.0.1:9",
		"http://127.1.2.3":                   "http://127.1.2.3",
		"http://[::1]:8080":                  "http://[::1]:8080",
		"https://api.cerby.com//v1/v1//":     "https://api.cerby.com", // found by FuzzNormalizeBaseURL: normalizing twice must not differ
		"https://api.cerby.com/V1":           "https://api.cerby.com", // the version in another case is still the version
		"https://api.cerby.com/V1/":          "https://api.cerby.com",
		"https://api.cerby.com/v1/V1//":      "https://api.cerby.com",
		"https://proxy.example.com/Cerby/V1": "https://proxy.example.com/Cerby", // a prefix keeps its case
		"https://proxy.example.com/V10":      "https://proxy.example.com/V10",
		"https://proxy.example.com/XV1":      "https://proxy.example.com/XV1",
	}
	for raw, want := range valid {
		got, err := NormalizeBaseURL(ReadAPI, raw)
		if err != nil || got != want {
			t.Errorf("NormalizeBaseURL(ReadAPI, %q) = %q, %v; want %q", raw, got, err, want)
		}
	}
	invalid := map[string]string{
		"":                                "empty",
		"http://api.cerby.com":            "must use HTTPS",
		"http://10.0.0.1":                 "must use HTTPS",
		"http://localhost.evil.com":       "must use HTTPS",
		"ftp://api.cerby.com":             "must use HTTPS",
		"api.cerby.com":                   "no host",
		"https://":                        "no host",
		"https:///v1":                     "no host",
		"https://api.cerby.com?x=1":       "query",
		"https://api.cerby.com/?":         "query",
		"https://api.cerby.com#frag":      "fragment",
		"https://user:pw@api.cerby.com":   "user info",
		"https://api.cerby.com:notaport/": "not a valid URL",
		"https://api.cerby.com/%zz":       "not a valid URL",
	}
	for raw, want := range invalid {
		_, err := NormalizeBaseURL(ReadAPI, raw)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("NormalizeBaseURL(ReadAPI, %q) error = %v; want it to mention %q", raw, err, want)
		}
	}
	_, err := NormalizeBaseURL(ReadAPI, "http://api.cerby.com")
	if !strings.Contains(err.Error(), "https://") || !strings.Contains(err.Error(), "localhost") {
		t.Errorf("the HTTPS error should say how to fix it: %v", err)
	}
	_, err = NormalizeBaseURL(ReadAPI, "https://user:hunter2@api.cerby.com")
	if strings.Contains(err.Error(), "hunter2") {
		t.Errorf("the user-info error echoes the password: %v", err)
	}
}

func jwtWith(payload string) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"HS256"}`)) + "." + enc([]byte(payload)) + ".c2ln"
}

func TestBearerTokenExpiry(t *testing.T) {
	tests := []struct {
		token string
		want  time.Time
		ok    bool
	}{
		{jwtWith(`{"exp":1700000000,"sub":"u"}`), time.Unix(1700000000, 0).UTC(), true},
		{jwtWith(`{"exp":1700000000.5}`), time.Unix(1700000000, 5e8).UTC(), true},
		{jwtWith(`{"sub":"no exp"}`), time.Time{}, false},
		{jwtWith(`{"exp":"1700000000"}`), time.Time{}, false},
		{jwtWith(`{"exp":-5}`), time.Time{}, false},
		{jwtWith(`{"exp":1e300}`), time.Time{}, false},
		{jwtWith(`not json`), time.Time{}, false},
		{jwtWith(`[1,2]`), time.Time{}, false},
		{"opaque-token-without-dots", time.Time{}, false},
		{"a.b", time.Time{}, false},
		{"a.!!!.c", time.Time{}, false},
		{"..", time.Time{}, false},
		{"", time.Time{}, false},
		{"a.b.c.d.e", time.Time{}, false},
	}
	for _, tt := range tests {
		got, ok := BearerTokenExpiry(tt.token)
		if ok != tt.ok || !got.Equal(tt.want) {
			t.Errorf("BearerTokenExpiry(%q) = %v, %v; want %v, %v", tt.token, got, ok, tt.want, tt.ok)
		}
	}
	padded := strings.Split(jwtWith(`{"exp":1700000000}`), ".")
	padded[1] += "=="
	if got, ok := BearerTokenExpiry(strings.Join(padded, ".")); !ok || got.Unix() != 1700000000 {
		t.Errorf("a padded payload should still be read, got %v %v", got, ok)
	}
}

func TestNewValidatesOptions(t *testing.T) {
	bad := map[string]struct {
		opts Options
		want string
	}{
		"page size too big":   {Options{PageSize: 101}, "between 1 and 100"},
		"page size negative":  {Options{PageSize: -1}, "between 1 and 100"},
		"too many pages":      {Options{PageConcurrency: 17}, "page concurrency must be between 1 and 16, got 17"},
		"negative pages":      {Options{PageConcurrency: -1}, "page concurrency must be between 1 and 16, got -1"},
		"negative retries":    {Options{MaxRetries: -1}, "max retries"},
		"negative retry wait": {Options{MaxRetryWait: -time.Second}, "max retry wait"},
		"negative timeout":    {Options{RequestTimeout: -time.Second}, "request timeout"},
		"negative rate":       {Options{RequestsPerSecond: -1}, "requests per second"},
		"plain http":          {Options{BaseURL: "http://api.cerby.com"}, "HTTPS"},
		"key with newline":    {Options{APIKey: testAPIKey + "\n"}, "API key contains"},
		"token with space":    {Options{BearerToken: "Bearer " + testBearer}, "bearer token contains"},
		"workspace with tab":  {Options{Workspace: "acme\t"}, "workspace"},
	}
	for name, tt := range bad {
		_, err := New(tt.opts)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: New error = %v; want it to mention %q", name, err, tt.want)
			continue
		}
		assertNoSecret(t, name, err.Error())
	}
	c, err := New(Options{})
	if err != nil {
		t.Fatalf("zero options should be valid: %v", err)
	}
	if c.baseURL != DefaultBaseURL || c.pageSize != DefaultPageSize || c.pageConcurrency != DefaultPageConcurrency || c.maxRetryWait != DefaultMaxRetryWait {
		t.Errorf("defaults not applied: %q %d %d %s", c.baseURL, c.pageSize, c.pageConcurrency, c.maxRetryWait)
	}
}

func TestHostileIDsCannotChangeThePath(t *testing.T) {
	var got hits
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.record(r)
		if strings.HasSuffix(r.URL.Path, "/accounts") {
			writeJSON(w, 200, []any{})
			return
		}
		writeJSON(w, 200, accountJSON("x"))
	}))
	defer srv.Close()
	c, _ := newTestClient(t, srv, nil)
	ctx := context.Background()

	if _, err := c.GetAccount(ctx, "../admin/users"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListUserAccounts(ctx, "a/b?c=1#d %"); err != nil {
		t.Fatal(err)
	}
	want := []string{"/v1/accounts/..%2Fadmin%2Fusers", "/v1/users/a%2Fb%3Fc=1%23d%20%25/accounts"}
	if strings.Join(got.uris, " ") != strings.Join(want, " ") {
		t.Errorf("request URIs = %q; want %q", got.uris, want)
	}
	for _, id := range []string{"", " ", ".", ".."} {
		if _, err := c.GetAccount(ctx, id); err == nil {
			t.Errorf("GetAccount(%q) should be refused", id)
		}
		if _, err := c.ListUserAccounts(ctx, id); err == nil {
			t.Errorf("ListUserAccounts(%q) should be refused", id)
		}
	}
	if got.total() != 2 {
		t.Errorf("refused ids must send no request; server saw %d", got.total())
	}
}

// On the Cerby API the version trimmed is /api/v1, in any case, and every
// request path adds it back (C2).
func TestNormalizeBaseURLOnTheCerbyAPI(t *testing.T) {
	valid := map[string]string{
		"https://acme.cerby.com":                  "https://acme.cerby.com",
		"https://acme.cerby.com/":                 "https://acme.cerby.com",
		"https://acme.cerby.com/api/v1":           "https://acme.cerby.com",
		"https://acme.cerby.com/api/v1/":          "https://acme.cerby.com",
		"https://acme.cerby.com/API/V1/":          "https://acme.cerby.com",
		"https://acme.cerby.com/Api/v1//":         "https://acme.cerby.com",
		"https://acme.cerby.com/api/v1/api/v1":    "https://acme.cerby.com",
		"https://ACME_CO.Cerby.com/api/v1":        "https://acme_co.cerby.com",
		"https://proxy.example.com/prefix/api/v1": "https://proxy.example.com/prefix",
		"https://proxy.example.com/Prefix/API/V1": "https://proxy.example.com/Prefix",
		"https://proxy.example.com/prefix":        "https://proxy.example.com/prefix",
		"https://acme.cerby.com/v1":               "https://acme.cerby.com/v1", // the Read API's version is a prefix here
		"https://acme.cerby.com/api":              "https://acme.cerby.com/api",
		"https://acme.cerby.com/xapi/v1":          "https://acme.cerby.com/xapi/v1",
		"https://acme.cerby.com:8443/api/v1":      "https://acme.cerby.com:8443",
		"http://localhost:8080/api/v1":            "http://localhost:8080",
		"http://127.0.0.1:9/api/v1/":              "http://127.0.0.1:9",
		"http://[::1]:8080/API/V1":                "http://[::1]:8080",
	}
	for raw, want := range valid {
		got, err := NormalizeBaseURL(CerbyAPI, raw)
		if err != nil || got != want {
			t.Errorf("NormalizeBaseURL(CerbyAPI, %q) = %q, %v; want %q", raw, got, err, want)
			continue
		}
		if again, err := NormalizeBaseURL(CerbyAPI, got); err != nil || again != got {
			t.Errorf("NormalizeBaseURL(CerbyAPI, %q) = %q, normalized again %q, %v", raw, got, again, err)
		}
	}
	invalid := map[string]string{
		"":                                   "empty",
		"http://acme.cerby.com/api/v1":       "must use HTTPS",
		"http://10.0.0.1/api/v1":             "must use HTTPS",
		"http://localhost.evil.com/api/v1":   "must use HTTPS",
		"acme.cerby.com/api/v1":              "no host",
		"https://acme.cerby.com/api/v1?x=1":  "query",
		"https://acme.cerby.com/api/v1#f":    "fragment",
		"https://u:pw@acme.cerby.com/api/v1": "user info",
	}
	for raw, want := range invalid {
		_, err := NormalizeBaseURL(CerbyAPI, raw)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("NormalizeBaseURL(CerbyAPI, %q) error = %v; want it to mention %q", raw, err, want)
		}
	}
	if _, err := NormalizeBaseURL(CerbyAPI, "http://acme.cerby.com"); err == nil || !strings.Contains(err.Error(), "https://acme.cerby.com/api/v1") {
		t.Errorf("the HTTPS error should show a Cerby API base URL: %v", err)
	}
	// The Read API keeps /api as a prefix: its version is /v1 alone.
	if got, err := NormalizeBaseURL(ReadAPI, "https://acme.cerby.com/api/v1"); err != nil || got != "https://acme.cerby.com/api" {
		t.Errorf("NormalizeBaseURL(ReadAPI, .../api/v1) = %q, %v", got, err)
	}
}

// The workspace is the host's first label and nothing more (C2).
func TestWorkspaceBaseURL(t *testing.T) {
	valid := map[string]string{
		"acme":                  "https://acme.cerby.com",
		"acme_co":               "https://acme_co.cerby.com",
		"Acme-Co":               "https://acme-co.cerby.com",
		"a":                     "https://a.cerby.com",
		"_acme_":                "https://_acme_.cerby.com",
		"007":                   "https://007.cerby.com",
		strings.Repeat("a", 63): "https://" + strings.Repeat("a", 63) + ".cerby.com",
	}
	for workspace, want := range valid {
		got, err := WorkspaceBaseURL(workspace)
		if err != nil || got != want {
			t.Errorf("WorkspaceBaseURL(%q) = %q, %v; want %q", workspace, got, err, want)
			continue
		}
		if normalized, err := NormalizeBaseURL(CerbyAPI, got); err != nil || normalized != got {
			t.Errorf("WorkspaceBaseURL(%q) = %q, which normalizes to %q, %v", workspace, got, normalized, err)
		}
	}
	invalid := map[string]string{
		"":                       "the workspace is empty",
		"acme.evil.com":          "may hold only letters, digits",
		"acme.":                  "may hold only letters, digits",
		strings.Repeat("a", 64):  "longer than 63 characters",
		"-acme":                  `cannot start or end with "-"`,
		"acme-":                  `cannot start or end with "-"`,
		"acme/x":                 "may hold only letters, digits",
		"acme:443":               "may hold only letters, digits",
		"user@acme":              "may hold only letters, digits",
		"acme com":               "may hold only letters, digits",
		"acmé":                   "may hold only letters, digits",
		"acme%2Eevil":            "may hold only letters, digits",
		"https://acme.cerby.com": "may hold only letters, digits",
	}
	for workspace, want := range invalid {
		got, err := WorkspaceBaseURL(workspace)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("WorkspaceBaseURL(%q) = %q, %v; want an error mentioning %q", workspace, got, err, want)
		}
	}
}
