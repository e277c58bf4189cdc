package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/cerby-community/terraform-provider-cerby/internal/cerbysim"
)

func runForTest(t *testing.T, ctx context.Context, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errs bytes.Buffer
	code = run(ctx, args, &out, &errs)
	return code, out.String(), errs.String()
}

func TestFlagErrors(t *testing.T) {
	cases := map[string]struct {
		args []string
		want string
	}{
		"all interfaces":         {[]string{"-addr", ":8080"}, "-allow-non-loopback"},
		"other host":             {[]string{"-addr", "0.0.0.0:0"}, "-allow-non-loopback"},
		"rate out of range":      {[]string{"-random-429", "2"}, "Random429Rate must be between 0 and 1"},
		"file and generation":    {[]string{"-workspace-file", "x.json", "-accounts", "3"}, "-accounts generates a workspace"},
		"negative size":          {[]string{"-members", "-1"}, "must not be negative"},
		"stray argument":         {[]string{"serve"}, `unexpected argument "serve"`},
		"unknown flag":           {[]string{"-nope"}, "flag provided but not defined"},
		"missing workspace file": {[]string{"-workspace-file", filepath.Join(t.TempDir(), "none.json")}, "none.json"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			code, _, stderr := runForTest(t, context.Background(), c.args...)
			if code == 0 || !strings.Contains(stderr, c.want) {
				t.Fatalf("exit %d, stderr %q; want a failure mentioning %q", code, stderr, c.want)
			}
		})
	}
}

func TestIsLoopback(t *testing.T) {
	cases := map[string]bool{
		"127.0.0.1:0": true, "127.8.9.1:80": true, "localhost:1": true, "[::1]:0": true,
		":0": false, "0.0.0.0:1": false, "10.0.0.1:1": false, "example.com:80": false, "nonsense": false,
	}
	for addr, want := range cases {
		if got := isLoopback(addr); got != want {
			t.Errorf("isLoopback(%q) = %v", addr, got)
		}
	}
}

func TestShellQuote(t *testing.T) {
	cases := map[string]string{
		"http://127.0.0.1:80": "http://127.0.0.1:80",
		"sim_abc":             "sim_abc",
		"has space":           "'has space'",
		"it's":                `'it'\''s'`,
		"":                    "''",
	}
	for in, want := range cases {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestWriteThenServeWorkspaceFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ws.json")
	if code, _, stderr := runForTest(t, context.Background(), "-write-workspace", path, "-accounts", "7", "-members", "3", "-seed", "5"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	ws, err := cerbysim.LoadWorkspace(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(ws.Accounts) != 7 || len(ws.Members) != 3 {
		t.Fatalf("wrote %d accounts and %d members", len(ws.Accounts), len(ws.Members))
	}

	// A cancelled context stops the server as soon as it has started.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	code, stdout, stderr := runForTest(t, ctx, "-workspace-file", path, "-api-key", "k1", "-require-workspace", "acme")
	if code != 0 || !strings.Contains(stderr, "serving 7 accounts and 3 members") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.HasPrefix(stdout, "CERBY_ENDPOINT=http://127.0.0.1:") || !strings.Contains(stdout, "\nCERBY_API_KEY=k1\nCERBY_WORKSPACE=acme\n") {
		t.Fatalf("stdout %q", stdout)
	}
}

// TestServesUntilSIGTERM runs the real binary the way a script would.
func TestServesUntilSIGTERM(t *testing.T) {
	dir := t.TempDir()
	binary := filepath.Join(dir, "cerbysim")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	ready := filepath.Join(dir, "ready.env")
	cmd := exec.Command(binary, "-accounts", "12", "-members", "4", "-ready-file", ready)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Only matters when the test fails before SIGTERM.
	defer func() { _ = cmd.Process.Kill() }()

	settings := waitForFile(t, ready)
	endpoint, key := settings["CERBY_ENDPOINT"], settings["CERBY_API_KEY"]
	if !strings.HasPrefix(endpoint, "http://127.0.0.1:") || !strings.HasPrefix(key, "sim_") {
		t.Fatalf("ready file settings %v", settings)
	}
	req, _ := http.NewRequest(http.MethodGet, endpoint+"/v1/accounts?limit=3", nil)
	req.Header.Set("X-API-Key", key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("after SIGTERM: %v\n%s", err, stderr.String())
	}
	log := stderr.String()
	if !strings.Contains(log, "GET /v1/accounts?limit=3 200 ") || strings.Contains(log, key) {
		t.Fatalf("log should show the request and never the key:\n%s", log)
	}
}

// waitForFile polls for the ready file the way a script would, giving up
// after a generous deadline rather than hanging.
func waitForFile(t *testing.T, path string) map[string]string {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		data, err := os.ReadFile(path)
		if err == nil {
			settings := map[string]string{}
			for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
				name, value, _ := strings.Cut(line, "=")
				settings[name] = value
			}
			return settings
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never appeared", path)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestCerbyAPIFlagErrors(t *testing.T) {
	cases := map[string][]string{
		"CerbyAPI.Errors":           {"-cerby-api-errors", "loud"},
		"CerbyAPI.UserAccounts":     {"-cerby-api-user-accounts", "410"},
		"CerbyAPI.TeamMembers":      {"-cerby-api-team-members", "410"},
		"CerbyAPI.TeamAccounts":     {"-cerby-api-team-accounts", "200"},
		"CerbyAPI.IntegrationUsers": {"-cerby-api-integration-users", "gone"},
		"NextOrigin":                {"-next-origin", "https://elsewhere.example/api"},
		"NextPath":                  {"-next-path", "secrets"},
		"ServerErrorStatus":         {"-server-error-status", "404"},
	}
	for want, args := range cases {
		code, _, stderr := runForTest(t, context.Background(), args...)
		if code != 2 || !strings.Contains(stderr, want) {
			t.Errorf("%v: exit %d, stderr %q; want a failure mentioning %q", args, code, stderr, want)
		}
	}
}

// TestReadyFileNamesTheCerbyAPI serves in-process and reads the Cerby API's
// base URL from the ready file, with the Cerby API flags applied.
func TestReadyFileNamesTheCerbyAPI(t *testing.T) {
	ready := filepath.Join(t.TempDir(), "ready.env")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	var stderr syncWriter
	go func() {
		done <- run(ctx, []string{"-accounts", "6", "-members", "3", "-api-key", "k2", "-quiet", "-ready-file", ready,
			"-cerby-api-errors", "title", "-cerby-api-user-accounts", "405", "-next-repeats-self",
			"-cerby-api-scopes", "read:items, read:users", "-cerby-api-owner-only",
			"-cerby-api-team-members", "404", "-cerby-api-team-accounts", "405", "-cerby-api-integration-users", "served"}, io.Discard, &stderr)
	}()
	settings := waitForFile(t, ready)
	endpoint, cerbyAPI := settings["CERBY_ENDPOINT"], settings["CERBY_API_ENDPOINT"]
	if cerbyAPI != endpoint+"/api/v1" || settings["CERBY_API_KEY"] != "k2" {
		t.Fatalf("ready file settings %v", settings)
	}
	data, err := os.ReadFile(ready)
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(string(data)), "\n"); len(lines) != 3 || !strings.HasPrefix(lines[2], "CERBY_API_ENDPOINT=") {
		t.Fatalf("CERBY_API_ENDPOINT should come after the Read API's lines:\n%s", data)
	}

	fetch := func(path string, headers ...string) (int, http.Header, []byte) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, cerbyAPI+path, nil)
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header, body
	}
	status, _, body := fetch("/accounts?page[size]=2", "X-API-Key", "k2")
	var page struct {
		Data  []json.RawMessage
		Links struct{ Self, Next string }
	}
	if err := json.Unmarshal(body, &page); err != nil || status != 200 || len(page.Data) != 2 || page.Links.Next != page.Links.Self {
		t.Fatalf("status %d, body %s", status, body)
	}
	if status, _, body := fetch("/accounts"); status != 401 || !bytes.Contains(body, []byte(`"code":"Unauthorized"`)) {
		t.Fatalf("no key: %d %s", status, body)
	}
	if status, header, _ := fetch("/users/x/accounts", "X-API-Key", "k2"); status != 405 || header.Get("Allow") != "POST" {
		t.Fatalf("a member's accounts: %d", status)
	}
	for path, want := range map[string]int{"/teams/x/members": 404, "/teams/x/accounts": 405, "/teams": 200, "/vaults": 401, "/integrations/x/users": 401} {
		if status, _, body := fetch(path, "X-API-Key", "k2"); status != want {
			t.Fatalf("%s: %d %s, want %d", path, status, body, want)
		}
	}

	cancel()
	select {
	case code := <-done:
		if code != 0 || !strings.Contains(stderr.String(), "(Cerby API: "+cerbyAPI+")") {
			t.Fatalf("exit %d: %s", code, stderr.String())
		}
	case <-time.After(time.Minute):
		t.Fatal("run did not stop")
	}
}

type syncWriter struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.Write(p)
}

func (w *syncWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}
