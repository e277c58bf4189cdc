package cerbysim

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

const testKey = "sim-test-key"

// reply is one response, read fully.
type reply struct {
	status int
	header http.Header
	body   []byte
}

func (r reply) decode(t *testing.T, into any) {
	t.Helper()
	if err := json.Unmarshal(r.body, into); err != nil {
		t.Fatalf("decoding %s: %v", r.body, err)
	}
}

// serve starts an httptest server for ws with cfg; APIKey defaults to testKey.
func serve(t *testing.T, ws *Workspace, cfg Config) (*Server, string) {
	t.Helper()
	if cfg.APIKey == "" && cfg.BearerToken == "" {
		cfg.APIKey = testKey
	}
	sim := New(ws, cfg)
	if err := sim.Err(); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(sim)
	t.Cleanup(ts.Close)
	return sim, ts.URL
}

// get sends a GET with the test key plus any extra headers (pairs).
func get(t *testing.T, url string, headers ...string) reply {
	t.Helper()
	return send(t, http.MethodGet, url, append([]string{"X-API-Key", testKey}, headers...)...)
}

func send(t *testing.T, method, url string, headers ...string) reply {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: body}
}

type accountsPage struct {
	StartIndex   int               `json:"startIndex"`
	Limit        int               `json:"limit"`
	TotalResults int               `json:"totalResults"`
	Accounts     []json.RawMessage `json:"accounts"`
}

type membersPage struct {
	TotalResults int               `json:"totalResults"`
	ItemsPerPage int               `json:"itemsPerPage"`
	StartIndex   int               `json:"startIndex"`
	Resources    []json.RawMessage `json:"resources"`
}

// ids extracts the "id" of each raw object.
func ids(t *testing.T, objects []json.RawMessage) []string {
	t.Helper()
	out := make([]string, len(objects))
	for i, raw := range objects {
		var o Object
		if err := json.Unmarshal(raw, &o); err != nil {
			t.Fatal(err)
		}
		out[i] = o.String("id")
	}
	return out
}

// errorDetail returns the human text of any of the error shapes served.
func errorDetail(t *testing.T, r reply) string {
	t.Helper()
	var body struct {
		Errors []struct {
			Code, Detail string
			Status       any
		}
		Detail, Message string
	}
	r.decode(t, &body)
	switch {
	case len(body.Errors) > 0:
		return body.Errors[0].Detail
	case body.Detail != "":
		return body.Detail
	default:
		return body.Message
	}
}
