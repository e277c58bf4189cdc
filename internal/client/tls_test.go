package client

import (
	"context"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/cerby-community/terraform-provider-cerby/internal/testnet"
)

func TestExtraRootCAsAreTrustedBesideTheSystemRoots(t *testing.T) {
	ca := testnet.NewCA(t)
	srv := ca.NewServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, accountJSON("a"))
	}))
	read := func(extra string) error {
		c, err := New(Options{BaseURL: srv.URL, APIKey: testAPIKey, ExtraRootCAsPEM: extra})
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		_, err = c.GetAccount(context.Background(), "a")
		return err
	}

	var unknownAuthority x509.UnknownAuthorityError
	if err := read(""); !errors.As(err, &unknownAuthority) {
		t.Errorf("without the CA: err = %v; want an unknown-authority error", err)
	}
	if err := read(string(ca.PEM)); err != nil {
		t.Errorf("with the CA: %v", err)
	}
}

func TestExtraRootCAsMustHoldACertificate(t *testing.T) {
	_, err := New(Options{APIKey: testAPIKey, ExtraRootCAsPEM: "not a certificate"})
	if err == nil || !strings.Contains(err.Error(), "no PEM certificate") {
		t.Errorf("err = %v; want one saying the bundle holds no PEM certificate", err)
	}
}

func TestExtraRootCAsNeedAnHTTPTransport(t *testing.T) {
	ca := testnet.NewCA(t)
	_, err := New(Options{APIKey: testAPIKey, ExtraRootCAsPEM: string(ca.PEM), HTTPClient: &http.Client{Transport: roundTripFunc(nil)}})
	if err == nil || !strings.Contains(err.Error(), "*http.Transport") {
		t.Errorf("err = %v; want one naming the transport type needed", err)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestAnUntrustedCertificateIsNotRetried(t *testing.T) {
	srv := testnet.NewCA(t).NewServer(t, http.NotFoundHandler())
	c, err := New(Options{BaseURL: srv.URL, APIKey: testAPIKey, MaxRetries: 5})
	if err != nil {
		t.Fatal(err)
	}
	clk := installFakeClock(c)
	_, err = c.GetAccount(context.Background(), "a")
	if !errors.As(err, new(x509.UnknownAuthorityError)) || len(clk.recorded()) != 0 || !strings.Contains(err.Error(), "after 1 attempt") {
		t.Errorf("err = %v after waits %v; want an unknown-authority error after 1 attempt and no wait", err, clk.recorded())
	}
}

// A workspace host may hold an underscore (C2): URL parsing and the
// certificate check of a wildcard like *.cerby.com both accept it, end to
// end through the client.
func TestAWildcardCertificateCoversAWorkspaceWithAnUnderscore(t *testing.T) {
	ca := testnet.NewCA(t)
	var mu sync.Mutex
	var hosts []string
	srv := ca.NewServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hosts = append(hosts, r.Host)
		mu.Unlock()
		writeJSON(w, 200, map[string]any{"data": map[string]any{"id": "a1"}})
	}), "*.example.test")

	cert := srv.Certificate()
	for host, ok := range map[string]bool{
		"acme_co.example.test": true, "acme.example.test": true, "_.example.test": true,
		"a.b.example.test": false, "acme_co.other.test": false, "example.test": false,
	} {
		if err := cert.VerifyHostname(host); (err == nil) != ok {
			t.Errorf("VerifyHostname(%q) = %v; want it to pass: %v", host, err, ok)
		}
	}

	// The name resolves to the test server, as DNS would.
	addr := srv.Listener.Addr().String()
	dial := func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}
	_, port, _ := net.SplitHostPort(addr)
	read := func(host string) error {
		c, err := New(Options{
			API: CerbyAPI, BaseURL: "https://" + host + ":" + port + "/api/v1", APIKey: testAPIKey,
			ExtraRootCAsPEM: string(ca.PEM), HTTPClient: &http.Client{Transport: &http.Transport{DialContext: dial}},
		})
		if err != nil {
			return err
		}
		_, err = c.GetAccount(context.Background(), "a1")
		return err
	}
	if err := read("acme_co.example.test"); err != nil {
		t.Errorf("acme_co.example.test: %v", err)
	}
	mu.Lock()
	if len(hosts) != 1 || hosts[0] != "acme_co.example.test:"+port {
		t.Errorf("the server saw the hosts %v", hosts)
	}
	mu.Unlock()
	var hostErr x509.HostnameError
	if err := read("acme_co.other.test"); !errors.As(err, &hostErr) {
		t.Errorf("a host the certificate does not name: err = %v; want a hostname error", err)
	}
}
