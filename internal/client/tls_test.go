package client

import (
	"context"
	"crypto/x509"
	"errors"
	"net/http"
	"strings"
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
