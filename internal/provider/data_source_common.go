package provider

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
)

const (
	defaultReadTimeout     = 20 * time.Minute
	defaultReadTimeoutText = "20m" // as the docs show it; a unit test keeps the two in step
)

// dataSourceBase is embedded by every data source: it receives the shared
// client from the provider and prepares each read.
type dataSourceBase struct {
	data *providerData
}

func (d *dataSourceBase) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	if req.ProviderData == nil {
		return // validate time: the provider is not configured yet
	}
	data, ok := req.ProviderData.(*providerData)
	if !ok {
		resp.Diagnostics.AddError("Unexpected provider data",
			fmt.Sprintf("The data source expected *providerData but received %T. This is a bug in the provider: please report it at %s/issues.", req.ProviderData, repositoryURL))
		return
	}
	d.data = data
}

// beginRead reads config into model, masks the credentials in this read's
// logs and bounds the whole read by t, the model's timeouts block. The caller
// must call cancel, and stop when ok is false (the problem is in diags).
func (d *dataSourceBase) beginRead(ctx context.Context, config tfsdk.Config, model any, t *timeouts.Value, diags *diag.Diagnostics) (_ context.Context, cancel context.CancelFunc, ok bool) {
	if diags.Append(config.Get(ctx, model)...); diags.HasError() {
		return ctx, func() {}, false
	}
	if d.data == nil {
		diags.AddError("Cerby provider not configured",
			"The data source was read before the provider was configured. This is a bug in the provider: please report it at "+repositoryURL+"/issues.")
		return ctx, func() {}, false
	}
	timeout, timeoutDiags := t.Read(ctx, defaultReadTimeout)
	diags.Append(timeoutDiags...)
	if timeoutDiags.HasError() {
		return ctx, func() {}, false
	}
	ctx, cancel = context.WithTimeout(maskSecrets(ctx, d.data.secrets), timeout)
	return ctx, cancel, true
}

// addReadError turns a client error into a diagnostic; the client's message
// already names the status, its likely cause, the scope and the request id.
func addReadError(ctx context.Context, diags *diag.Diagnostics, summary string, err error) {
	detail := err.Error()
	if errors.As(err, new(x509.UnknownAuthorityError)) {
		detail += fmt.Sprintf("\n\nThe server's TLS certificate is signed by an authority this machine does not trust. Behind a TLS-inspecting proxy, "+
			"set ca_certificate_file (or %s) to the proxy's CA certificate in PEM format.", envCAFile)
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		detail += fmt.Sprintf("\n\nThe read did not finish within its time limit (default %s): raise it with a `timeouts { read = \"30m\" }` block.", defaultReadTimeoutText)
	}
	diags.AddError(summary, detail)
}

func timeoutsBlock(ctx context.Context) schema.Block {
	block := timeouts.BlockWithOpts(ctx, timeouts.Opts{
		ReadDescription: fmt.Sprintf("Time limit of the whole read, including retries, as a Go duration such as `\"30m\"`. Defaults to `\"%s\"`.", defaultReadTimeoutText),
	})
	if nested, ok := block.(schema.SingleNestedBlock); ok {
		nested.MarkdownDescription = "Time limits of this data source."
		return nested
	}
	return block
}

const maxCandidatesListed = 20

// describeCandidates lists items for an error message, capped so that a broad
// search does not flood the terminal.
func describeCandidates[T any](items []T, describe func(T) string) string {
	if len(items) == 0 {
		return "none"
	}
	var lines []string
	for i, item := range items {
		if i == maxCandidatesListed {
			lines = append(lines, fmt.Sprintf("… and %d more", len(items)-maxCandidatesListed))
			break
		}
		lines = append(lines, "- "+describe(item))
	}
	return "\n" + strings.Join(lines, "\n")
}
