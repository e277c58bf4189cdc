package leaktest_test

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cerby-community/terraform-provider-cerby/internal/cerbysim"
	"github.com/cerby-community/terraform-provider-cerby/internal/clitest"
	"github.com/cerby-community/terraform-provider-cerby/internal/testnet"
)

// hostile are values that would change a request's path or query if they
// reached it unescaped.
var hostile = []string{"../admin/users", "a?limit=1&status=disabled", "x#fragment", "a&ids=1", "%2e%2e", "/v1/admin/users", "line\nbreak"}

// hostileEmails pass the email check, so they are read; they must arrive as
// one search value.
var hostileEmails = []string{"jane@example.com&status=disabled", "jane@example.com?onlyInIdp=true", "../jane@example.com", "j%2e%2e@example.com#x"}

// Ids go into request paths: anything but a UUID is refused before a request.
func TestAccLeaks_hostileIDsRefusedAtValidate(t *testing.T) {
	forEachCLI(t, func(t *testing.T, cli clitest.CLI) {
		t.Parallel()
		hostileIDsRefused(t, cli, func(base string) string { return base })
	})
}

// hostileIDsRefused reads every hostile id as an account's and a member's,
// against the endpoint endpoint makes of a simulator's URL.
func hostileIDsRefused(t *testing.T, cli clitest.CLI, endpoint func(base string) string) {
	t.Helper()
	sim := newSim()
	var config strings.Builder
	config.WriteString(providerBlock(endpoint(serve(t, sim))))
	for i, id := range hostile {
		fmt.Fprintf(&config, "data \"cerby_account\" \"a%d\" { id = %q }\n", i, id)
		fmt.Fprintf(&config, "data \"cerby_user_accounts\" \"u%d\" { user_id = %q }\n", i, id)
	}
	s := newSession(t, cli, config.String(), map[string]string{"CERBY_API_KEY": apiKey})
	s.mustFail([]string{"expected a UUID", `"../admin/users"`}, "plan", "-input=false", "-no-color")
	if n := len(sim.Counters().Requests); n != 0 {
		t.Errorf("the simulator saw %d requests; hostile ids must be refused before any", n)
	}
}

// Names, searches, applications and emails go into the query: each arrives
// as exactly one parameter value, and no other path or parameter is asked for.
func TestAccLeaks_hostileValuesStayInTheirParameter(t *testing.T) {
	forEachCLI(t, func(t *testing.T, cli clitest.CLI) {
		t.Parallel()
		sim := newSim()
		var config strings.Builder
		config.WriteString(providerBlock(serve(t, sim)))
		for i, v := range hostile {
			fmt.Fprintf(&config, "data \"cerby_accounts\" \"s%d\" {\n  search = %q\n  applications = [%q]\n}\n", i, v, v)
			fmt.Fprintf(&config, "data \"cerby_users\" \"s%d\" { search = %q }\n", i, v)
			fmt.Fprintf(&config, "data \"cerby_account\" \"n%d\" { name = %q }\n", i, v)
		}
		for i, email := range hostileEmails {
			fmt.Fprintf(&config, "data \"cerby_user_accounts\" \"e%d\" { user_email = %q }\n", i, email)
		}
		s := newSession(t, cli, config.String(), map[string]string{"CERBY_API_KEY": apiKey})
		// No account or member has these names: the reads happen, then fail.
		s.mustFail([]string{"jane@example.com&status=disabled"}, "plan", "-input=false", "-no-color")

		allowed := append(slices.Clone(hostile), hostileEmails...)
		searched := map[string]bool{}
		requests := sim.Counters().Requests
		if len(requests) == 0 {
			t.Fatal("the simulator saw no request")
		}
		for _, r := range requests {
			if r.Endpoint != cerbysim.EndpointAccounts && r.Endpoint != cerbysim.EndpointMembers {
				t.Errorf("unexpected request %s %s?%s (%s)", r.Method, r.Path, r.RawQuery, r.Endpoint)
				continue
			}
			query, err := url.ParseQuery(r.RawQuery)
			if err != nil {
				t.Errorf("%s?%s: badly encoded query: %v", r.Path, r.RawQuery, err)
			}
			for key, values := range query {
				switch key {
				case "startIndex", "limit", "count":
				case "search", "provider":
					if len(values) != 1 || !slices.Contains(allowed, values[0]) {
						t.Errorf("%s?%s: %s = %q is not one of the configured values", r.Path, r.RawQuery, key, values)
					}
					searched[values[0]] = true
				default:
					t.Errorf("%s?%s: parameter %q was never configured", r.Path, r.RawQuery, key)
				}
			}
		}
		for _, v := range allowed {
			if !searched[v] {
				t.Errorf("%q never arrived whole as a search or provider value", v)
			}
		}
	})
}

// HTTPS_PROXY is honoured, and NO_PROXY too. Go never proxies loopback, so
// the endpoint has a name only the proxy resolves (to the loopback TLS
// server); the server's certificate comes from a CA given as
// CERBY_CA_CERTIFICATE_FILE, as behind a TLS-inspecting proxy.
func TestAccNetwork_httpsProxyAndNoProxy(t *testing.T) {
	const host = "api.cerby.test"
	forEachCLI(t, func(t *testing.T, cli clitest.CLI) {
		t.Parallel()
		ca := testnet.NewCA(t)
		sim := newSim()
		server := ca.NewServer(t, sim, host)
		proxy := testnet.NewProxy(t, server.Listener.Addr().String())
		caFile := filepath.Join(t.TempDir(), "proxy-ca.pem")
		if err := os.WriteFile(caFile, ca.PEM, 0o600); err != nil {
			t.Fatal(err)
		}
		env := map[string]string{"CERBY_API_KEY": apiKey, "HTTPS_PROXY": proxy.URL, "CERBY_CA_CERTIFICATE_FILE": caFile}

		newSession(t, cli, providerBlock("https://"+host)+readEverything, env).readAll()
		targets := proxy.Targets()
		if len(targets) == 0 || len(sim.Counters().Requests) == 0 {
			t.Fatalf("proxy tunnels %v, simulator requests %d: the reads did not go through the proxy", targets, len(sim.Counters().Requests))
		}
		for _, target := range targets {
			if target != host+":443" {
				t.Errorf("the proxy was asked for %q, want %s:443", target, host)
			}
		}

		env["NO_PROXY"] = host
		bypass := newSession(t, cli, providerBlock("https://"+host, "max_retries = 0", `request_timeout = "10s"`)+readEverything, env)
		bypass.mustFail([]string{host}, "plan", "-input=false", "-no-color")
		if got := len(proxy.Targets()); got != len(targets) {
			t.Errorf("with NO_PROXY=%s the proxy still got %d tunnel requests", host, got-len(targets))
		}
	})
}
