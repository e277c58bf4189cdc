package client

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// statusServer answers every request with one status and body.
func statusServer(t *testing.T, status int, contentType, body string, header map[string]string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range header {
			w.Header().Set(k, v)
		}
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// callEach runs every endpoint against srv and returns their errors by name.
func callEach(t *testing.T, srv *httptest.Server, tweak func(*Options)) map[string]error {
	t.Helper()
	c, _ := newTestClient(t, srv, tweak)
	ctx := context.Background()
	_, _, listAccounts := c.ListAccounts(ctx, AccountFilter{})
	_, getAccount := c.GetAccount(ctx, "a1")
	_, _, listUsers := c.ListUsers(ctx, UserFilter{})
	_, userAccounts := c.ListUserAccounts(ctx, "u1")
	return map[string]error{
		"ListAccounts": listAccounts, "GetAccount": getAccount,
		"ListUsers": listUsers, "ListUserAccounts": userAccounts,
	}
}

func TestUnauthorizedNamesBothCausesAndTheScope(t *testing.T) {
	srv := statusServer(t, 401, "application/json", `{"message":"Unauthorized"}`, nil)
	scopes := map[string]string{
		"ListAccounts": ScopeReadAccounts, "GetAccount": ScopeReadAccounts,
		"ListUsers": ScopeReadUsers, "ListUserAccounts": ScopeReadAccounts,
	}
	for name, err := range callEach(t, srv, nil) {
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.Scope != scopes[name] {
			t.Errorf("%s: err %#v; want an APIError with scope %q", name, err, scopes[name])
			continue
		}
		for _, want := range []string{"401 Unauthorized: Unauthorized", "invalid or expired", `lacks the "` + scopes[name] + `" scope`} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s: %q lacks %q", name, err, want)
			}
		}
	}
}

func TestForbiddenNamesTheRole(t *testing.T) {
	srv := statusServer(t, 403, "application/json", `{"detail":"forbidden"}`, nil)
	errs := callEach(t, srv, nil)
	if msg := errs["ListUsers"].Error(); !strings.Contains(msg, "workspace role does not allow") || !strings.Contains(msg, "Admin role or higher") {
		t.Errorf("ListUsers 403: %q", msg)
	}
	if msg := errs["GetAccount"].Error(); !strings.Contains(msg, "workspace role does not allow") || strings.Contains(msg, "Admin") {
		t.Errorf("GetAccount 403: %q", msg)
	}
}

func TestNotFoundMatchesErrNotFound(t *testing.T) {
	srv := statusServer(t, 404, "application/json", `{"errors":[{"status":404,"title":"Not Found","detail":"Account a1 does not exist"}]}`, map[string]string{"Request-Id": "r-9"})
	errs := callEach(t, srv, nil)
	for _, name := range []string{"GetAccount", "ListUserAccounts"} {
		if !errors.Is(errs[name], ErrNotFound) {
			t.Errorf("%s: %v should match ErrNotFound", name, errs[name])
		}
	}
	want := "GET /v1/accounts/a1: 404 Not Found: Account a1 does not exist (request id r-9). It does not exist or is not visible to this credential"
	if got := errs["GetAccount"].Error(); got != want {
		t.Errorf("message:\n got %q\nwant %q", got, want)
	}
	if errors.Is(&APIError{StatusCode: 400}, ErrNotFound) {
		t.Error("a 400 must not match ErrNotFound")
	}
}

func TestAPIMessage(t *testing.T) {
	long := strings.Repeat("x", 300)
	tests := map[string]struct{ contentType, body, want string }{
		"errors detail, string status": {"application/json",
			`{"errors":[{"code":"bad_id","title":"Bad Request","detail":"The id is malformed","status":"400","meta":{}}]}`, "The id is malformed"},
		"errors title, number status": {"application/json", `{"errors":[{"title":"Forbidden","status":403}]}`, "Forbidden"},
		"several errors":              {"application/json", `{"errors":[{"detail":"one"},{"title":"two"}]}`, "one; two"},
		"detail":                      {"application/json", `{"detail":"Not found."}`, "Not found."},
		"message":                     {"application/json", `{"message":"Internal error","detail":""}`, "Internal error"},
		"error string":                {"application/json", `{"error":"bad things"}`, "bad things"},
		"errors of another shape":     {"application/json", `{"errors":"oops","message":"m"}`, "m"},
		"json without a message":      {"application/json", `{"error":{"code":7}}`, `{"error":{"code":7}}`},
		"plain text":                  {"text/plain", "  upstream\n\tconnect error  ", "upstream connect error"},
		"long text is truncated":      {"text/plain", long, strings.Repeat("x", 200) + "…"},
		"html with a title":           {"text/html", "<html><head><title>502 Bad\nGateway</title></head><body>...</body></html>", "HTML page (probably from a proxy): 502 Bad Gateway"},
		"html sniffed":                {"", "<!DOCTYPE html><html><body>Access denied</body></html>", "HTML page (probably from a proxy)"},
		"empty":                       {"application/json", "  ", ""},
		"invalid utf-8":               {"text/plain", "bad \xff byte", "bad \uFFFD byte"},
	}
	for name, tt := range tests {
		if got := apiMessage([]byte(tt.body), tt.contentType, nil); got != tt.want {
			t.Errorf("%s: got %q; want %q", name, got, tt.want)
		}
	}
}

func TestErrorTextPerStatus(t *testing.T) {
	tests := map[string]struct {
		err  APIError
		want string
	}{
		"400": {APIError{Method: "GET", Path: "/v1/accounts?limit=100", StatusCode: 400, Message: "bad limit", Attempts: 1},
			"GET /v1/accounts?limit=100: 400 Bad Request: bad limit"},
		"502": {APIError{Method: "GET", Path: "/v1/accounts", StatusCode: 502, Attempts: 6, RequestID: "cf-1"},
			"GET /v1/accounts: 502 Bad Gateway (request id cf-1). Server error after 6 attempts"},
		"503 with a refused wait": {APIError{Method: "GET", Path: "/v1/accounts", StatusCode: 503, Attempts: 1, refusedWait: 10 * time.Minute, maxRetryWait: time.Minute},
			"GET /v1/accounts: 503 Service Unavailable. Server error: the server asked to wait 10m0s, longer than max_retry_wait (1m0s); try again later or raise max_retry_wait"},
		"429 once": {APIError{Method: "GET", Path: "/v1/accounts", StatusCode: 429, Attempts: 1},
			"GET /v1/accounts: 429 Too Many Requests. Rate limited: gave up after 1 attempt; try again later, raise max_retries, or lower requests_per_second"},
	}
	for name, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", name, got, tt.want)
		}
	}
}

func TestRequestIDHeaders(t *testing.T) {
	for _, name := range []string{"X-Request-Id", "X-Request-ID", "Request-Id", "X-Correlation-Id", "X-Amzn-Requestid", "Cf-Ray"} {
		h := http.Header{}
		h.Set(name, " id-1\n")
		if got := requestID(h); got != "id-1" {
			t.Errorf("%s: request id %q", name, got)
		}
	}
	if got := requestID(http.Header{}); got != "" {
		t.Errorf("no header, request id %q", got)
	}
}

func TestNoCredentialInErrors(t *testing.T) {
	creds := map[string]func(*Options){
		testAPIKey: func(o *Options) { o.APIKey = testAPIKey },
		testBearer: func(o *Options) { o.APIKey, o.BearerToken = "", testBearer },
	}
	for secret, cred := range creds {
		bodies := map[string]string{
			"echoed in json":        `{"message":"invalid credential ` + secret + `"}`,
			"echoed as a header":    "bad header: X-API-Key: " + secret + ", Authorization: Bearer " + secret,
			"across the truncation": strings.Repeat("y", 190) + secret + strings.Repeat("z", 50),
			"in an html title":      "<html><title>" + secret + "</title></html>",
		}
		for name, body := range bodies {
			srv := statusServer(t, 401, "text/plain", body, nil)
			log := &capturingLogger{}
			errs := callEach(t, srv, func(o *Options) { cred(o); o.Logger = log })
			for endpoint, err := range errs {
				if err == nil {
					t.Fatalf("%s %s: no error", name, endpoint)
				}
				assertNoSecret(t, name+" "+endpoint, err.Error())
			}
			assertNoSecret(t, name+" log", log.all())
		}
	}
	if got := apiMessage([]byte(`{"message":"key `+testAPIKey+`"}`), "application/json", []string{testAPIKey}); got != "key [redacted]" {
		t.Errorf("redaction: %q", got)
	}
}
