package provider

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cerby-community/terraform-provider-cerby/internal/client"
)

const (
	repositoryURL    = "https://github.com/cerby-community/terraform-provider-cerby"
	providerTypeName = "cerby"
)

var _ provider.Provider = (*cerbyProvider)(nil)

type cerbyProvider struct {
	version string
	data    atomic.Pointer[providerData] // set by Configure, for the server's ReadDataSource
}

// providerData is what every data source receives from Configure: the one
// shared client, and the credentials to mask in the data source's own logs.
type providerData struct {
	client  *client.Client
	secrets []string
}

func (p *cerbyProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = providerTypeName
	resp.Version = p.version
}

func (p *cerbyProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads accounts and workspace members from the [Cerby](https://www.cerby.com) Read API.\n\n" +
			"Each setting can be given in the provider block or, where noted, through an environment variable; " +
			"**a value in the provider block wins over the environment**. " +
			"Authenticate with an API key (`api_key` / `" + envAPIKey + "`) or a bearer token (`bearer_token` / `" + envBearerToken + "`). " +
			"When both are set the API key is used and the bearer token is ignored, with a warning. With neither, configuration fails before any request.",
		Attributes: map[string]schema.Attribute{
			"api_key": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				MarkdownDescription: "Cerby API key, sent in the `X-API-Key` header. Create it in the Cerby web app (workspace Owners, Super Admins and Admins can) " +
					"with the scopes the data sources need (`Read accounts`, `Read users`). Wins over `bearer_token`. Environment variable: `" + envAPIKey + "`.",
				Validators: []validator.String{credentialValidator},
			},
			"bearer_token": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				MarkdownDescription: "Cerby bearer token (a short-lived JWT copied from the Cerby web app, Profile → Dev Tools), sent as `Authorization: Bearer`. " +
					"Used only when no API key is set; acts with the member's own roles. An expired token is reported before any request. " +
					"Environment variable: `" + envBearerToken + "`.",
				Validators: []validator.String{credentialValidator},
			},
			"workspace": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Workspace subdomain, sent in the `Cerby-Workspace` header when set. Usually needed with a bearer token. " +
					"Environment variable: `" + envWorkspace + "`.",
			},
			"endpoint": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Base URL of the Read API. Defaults to `" + client.DefaultBaseURL + "`. HTTPS is required except for loopback hosts " +
					"(`localhost`, `127.0.0.1`, `::1`); a trailing `/` or `/v1` is accepted. Environment variable: `" + envEndpoint + "`.",
				Validators: []validator.String{endpointValidator},
			},
			"ca_certificate_file": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Path of a PEM file with one or more CA certificates to trust in addition to the system's, " +
					"for a TLS-inspecting corporate proxy that re-signs HTTPS traffic with its own CA. Environment variable: `" + envCAFile + "`.",
				Validators: []validator.String{caCertificateFileValidator},
			},
			"page_size": schema.Int64Attribute{
				Optional:            true,
				MarkdownDescription: fmt.Sprintf("Items requested per page when listing, from 1 to %d. Defaults to `%d`.", client.MaxPageSize, client.DefaultPageSize),
				Validators:          []validator.Int64{pageSizeValidator},
			},
			"page_concurrency": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: fmt.Sprintf("How many pages of one listing are fetched at once, from 1 to %d, once its first page has given the total; `1` fetches them one after another. "+
					"Requests still keep to `requests_per_second` and to the pause a `429` asks for. Defaults to `%d`.", client.MaxPageConcurrency, client.DefaultPageConcurrency),
				Validators: []validator.Int64{pageConcurrencyValidator},
			},
			"max_retries": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: fmt.Sprintf("Retries after a `429 Too Many Requests` or `5xx` answer or a network error, with capped exponential backoff and jitter; `0` disables them. "+
					"Other errors are never retried. Defaults to `%d`.", client.DefaultMaxRetries),
				Validators: []validator.Int64{maxRetriesValidator},
			},
			"max_retry_wait": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Longest wait before a retry, as a Go duration such as `\"30s\"` or `\"2m\"`. Backoff stays below it; when a server's `Retry-After` asks for longer, " +
					"the read fails with that error instead of waiting. " +
					"Defaults to `\"" + defaultDuration + "\"`.",
				Validators: []validator.String{durationValidator},
			},
			"request_timeout": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Time limit of each HTTP request, as a Go duration such as `\"30s\"`. Defaults to `\"" + defaultDuration + "\"`. " +
					"A data source's whole read is bounded separately by its `timeouts` block.",
				Validators: []validator.String{durationValidator},
			},
			"requests_per_second": schema.Float64Attribute{
				Optional: true,
				MarkdownDescription: "Client-side limit on requests per second, shared by all data sources of this provider, such as `1` or `0.5`. " +
					"Requests go out one at a time, each at least `1/requests_per_second` after the previous one (plus 1%, so that network jitter " +
					"cannot make the server count one more per second). Must be greater than zero. Unset means no limit.",
				Validators: []validator.Float64{requestsPerSecondValidator},
			},
		},
	}
}

func (p *cerbyProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var config providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	opts, diags := resolveClientOptions(config, os.Getenv, time.Now())
	secrets := nonEmpty(opts.APIKey, opts.BearerToken)
	ctx = maskSecrets(ctx, secrets)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	opts.UserAgent = userAgent(p.version, req.TerraformVersion)
	opts.Logger = tflogLogger{}
	c, err := client.New(opts)
	if err != nil {
		resp.Diagnostics.AddError("Cannot configure the Cerby client", err.Error())
		return
	}
	tflog.Debug(ctx, "Cerby client configured", map[string]any{"endpoint": opts.BaseURL, "workspace": opts.Workspace})
	data := &providerData{client: c, secrets: secrets}
	p.data.Store(data)
	resp.DataSourceData = data
}

// userAgent names the CLI "Terraform" for OpenTofu too: both report their
// version through the same request field.
func userAgent(providerVersion, cliVersion string) string {
	if cliVersion == "" {
		cliVersion = "unknown"
	}
	return fmt.Sprintf("terraform-provider-cerby/%s (+%s) Terraform/%s", providerVersion, repositoryURL, cliVersion)
}

func (p *cerbyProvider) Resources(context.Context) []func() resource.Resource {
	return nil
}

func (p *cerbyProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		newAccountsDataSource,
		newAccountDataSource,
		newUsersDataSource,
		newUserAccountsDataSource,
	}
}
