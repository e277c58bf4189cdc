package provider_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/cerby-community/terraform-provider-cerby/internal/testnet"
)

// The server's certificate comes from a CA only the test knows, as behind a
// TLS-inspecting proxy.
func TestAccProvider_caCertificateFile(t *testing.T) {
	forEachAPI(t, func(t *testing.T, api accAPI) {
		ca := testnet.NewCA(t)
		f := newFakeAPI(t, fakeData{Accounts: []fixture{fullAccount}})
		inspected := ca.NewServer(t, f.server.Config.Handler)
		caFile := filepath.Join(t.TempDir(), "proxy-ca.pem")
		if err := os.WriteFile(caFile, ca.PEM, 0o600); err != nil {
			t.Fatal(err)
		}
		endpoint := fmt.Sprintf("endpoint = %q", inspected.URL+api.suffix)
		apiKey := fmt.Sprintf("api_key = %q", testAPIKey)

		t.Run("without it, a TLS error that names it", func(t *testing.T) {
			accTest(t, false, errorSteps(providerBlock(endpoint, apiKey)+dataAccounts,
				`ca_certificate_file`, words("certificate signed by unknown authority"))...)
		})
		t.Run("with it, data", func(t *testing.T) {
			readAccountsWith(t, false, f, providerBlock(endpoint, apiKey, fmt.Sprintf("ca_certificate_file = %q", caFile)),
				f.expectQuery(api.accountsPath(), api.page(api.accountsPath(), 1, 100)))
		})
		t.Run("a missing file, at validate time", func(t *testing.T) {
			missing := filepath.Join(t.TempDir(), "absent.pem")
			accTest(t, false, errorSteps(providerBlock(endpoint, apiKey, fmt.Sprintf("ca_certificate_file = %q", missing))+dataAccounts,
				`ca_certificate_file`, words("cannot read the CA certificate file"))...)
		})
	})
}
