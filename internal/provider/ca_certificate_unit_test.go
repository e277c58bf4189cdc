package provider

import (
	"context"
	"crypto/x509"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cerby-community/terraform-provider-cerby/internal/testnet"
)

func writeTemp(t *testing.T, content string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(file, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

func TestResolveClientOptionsReadsTheCACertificateFile(t *testing.T) {
	bundle := string(testnet.NewCA(t).PEM)
	file := writeTemp(t, "# the proxy's CA\n"+bundle)
	key := types.StringValue("key")

	opts, diags := resolveClientOptions(providerModel{APIKey: key, CACertificateFile: types.StringValue(file)}, env(nil), now)
	if diags.HasError() || !strings.Contains(opts.ExtraRootCAsPEM, bundle) {
		t.Errorf("from configuration: diags %v, bundle passed on: %v", diags, strings.Contains(opts.ExtraRootCAsPEM, bundle))
	}
	opts, diags = resolveClientOptions(providerModel{APIKey: key}, env(map[string]string{envCAFile: file}), now)
	if diags.HasError() || !strings.Contains(opts.ExtraRootCAsPEM, bundle) {
		t.Errorf("from %s: diags %v, bundle passed on: %v", envCAFile, diags, strings.Contains(opts.ExtraRootCAsPEM, bundle))
	}
}

func TestResolveClientOptionsRejectsABadCACertificateFile(t *testing.T) {
	key := types.StringValue("key")
	corrupt := "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
	for name, tc := range map[string]struct{ file, detail string }{
		"missing":        {filepath.Join(t.TempDir(), "absent.pem"), "cannot read the CA certificate file"},
		"no certificate": {writeTemp(t, "just text"), "holds no PEM certificate"},
		"only a key":     {writeTemp(t, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"), "holds no PEM certificate"},
		"corrupt":        {writeTemp(t, corrupt), "certificate 1 in"},
	} {
		t.Run(name, func(t *testing.T) {
			_, diags := resolveClientOptions(providerModel{APIKey: key, CACertificateFile: types.StringValue(tc.file)}, env(nil), now)
			assertAttributeError(t, diags, "ca_certificate_file", tc.detail)

			_, diags = resolveClientOptions(providerModel{APIKey: key}, env(map[string]string{envCAFile: tc.file}), now)
			assertAttributeError(t, diags, "ca_certificate_file", tc.detail, envCAFile)

			if err := checkCACertificateFile(tc.file); err == nil || !strings.Contains(err.Error(), tc.detail) {
				t.Errorf("validator: err = %v, want it to contain %q", err, tc.detail)
			}
		})
	}
}

func TestAnUntrustedCertificateErrorPointsToCACertificateFile(t *testing.T) {
	var diags diag.Diagnostics
	err := fmt.Errorf("GET /v1/accounts: tls: %w", x509.UnknownAuthorityError{})
	addReadError(context.Background(), &diags, "Cannot read", err)
	if d := onlyDiag(t, diags, diag.SeverityError); !strings.Contains(d.Detail(), "ca_certificate_file") || !strings.Contains(d.Detail(), envCAFile) {
		t.Errorf("detail %q does not point to ca_certificate_file and %s", d.Detail(), envCAFile)
	}
}
