package provider

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
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

var (
	_ provider.Provider                       = (*cerbyProvider)(nil)
	_ provider.ProviderWithEphemeralResources = (*cerbyProvider)(nil)
)

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
		MarkdownDescription: "Reads accounts and workspace members from [Cerby](https://www.cerby.com), through either of its APIs: " +
			"the Cerby API (`https://<workspace>.cerby.com/api/v1`, API keys only) or the legacy Read API (`" + client.DefaultBaseURL + "/v1`, " +
			"API key or bearer token). `api` picks one; unset, it is inferred from `endpoint`, `workspace` and `bearer_token`, without sending any request.\n\n" +
			"Each setting can be given in the provider block or, where noted, through an environment variable; " +
			"**a value in the provider block wins over the environment**. " +
			"Authenticate with an API key (`api_key` / `" + envAPIKey + "`) or, on the Read API only, a bearer token (`bearer_token` / `" + envBearerToken + "`). " +
			"On the Read API, when both are set the API key is used and the bearer token is ignored, with a warning; on the Cerby API a bearer token is an error. " +
			"With no credential, configuration fails before any request.",
		Attributes: map[string]schema.Attribute{
			"api": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Which Cerby API to read: `\"" + apiCerby + "\"`, the Cerby API at `https://<workspace>.cerby.com/api/v1` (API keys only), " +
					"or `\"" + apiRead + "\"`, the legacy Read API at `" + client.DefaultBaseURL + "/v1`. Any other value is an error. " +
					"Environment variable: `" + envAPI + "`. By default (unset in the block and the environment) it is inferred, without sending any request; the first matching rule wins: " +
					"an `endpoint` whose path ends in `/api/v1` means the Cerby API at `endpoint`; " +
					"an `endpoint` on a `*.cerby.com` host other than `api.cerby.com` means the Cerby API at `endpoint` + `/api/v1`; " +
					"any other `endpoint` means the Read API at `endpoint`; " +
					"no `endpoint`, with `workspace` set and no `bearer_token`, means the Cerby API at `https://<workspace>.cerby.com/api/v1`; " +
					"anything else means the Read API at `" + client.DefaultBaseURL + "`. " +
					"So `api_key` and `workspace` alone mean the Cerby API: set `api = \"" + apiRead + "\"` to send them to the Read API instead.",
				Validators: []validator.String{apiValidator},
			},
			"api_key": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				MarkdownDescription: "Cerby API key, sent in the `X-API-Key` header; the only credential the Cerby API takes. Create it in the Cerby web app (workspace Owners, Super Admins and Admins can) " +
					"with the scopes the data sources need (`Read accounts`, `Read users`); a key made for one API is likely refused by the other. " +
					"On the Read API it wins over `bearer_token`. No default. Environment variable: `" + envAPIKey + "`.",
				Validators: []validator.String{credentialValidator},
			},
			"bearer_token": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				MarkdownDescription: "Cerby bearer token (a short-lived JWT copied from the Cerby web app, Profile → Dev Tools), sent as `Authorization: Bearer`. " +
					"Read API only: with the Cerby API (set or inferred) it is an error, even beside an API key. " +
					"Used only when no API key is set; acts with the member's own roles. An expired token is reported before any request. " +
					"No default. Environment variable: `" + envBearerToken + "`.",
				Validators: []validator.String{credentialValidator},
			},
			"workspace": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Workspace subdomain, the `acme` of `https://acme.cerby.com`. " +
					"On the Cerby API without `endpoint` it is the host, `https://<workspace>.cerby.com/api/v1`: letters, digits, `-` and `_`, 1 to 63 of them, " +
					"not starting or ending with `-`; with `endpoint` it is not used. " +
					"On the Read API it is sent in the `Cerby-Workspace` header when set (usually needed with a bearer token). " +
					"Set without `endpoint` and `bearer_token`, it makes the inferred `api` the Cerby API. No default; empty is the same as unset. " +
					"Environment variable: `" + envWorkspace + "`.",
			},
			"endpoint": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Base URL of the API, for a workspace on another host or a local simulator. " +
					"On the Cerby API it wins over `workspace`; a trailing `/` or `/api/v1` is accepted, such as `https://acme.cerby.com/api/v1`. " +
					"On the Read API a trailing `/` or `/v1` is accepted. " +
					"Defaults to `https://<workspace>.cerby.com/api/v1` on the Cerby API and `" + client.DefaultBaseURL + "` on the Read API. " +
					"HTTPS is required except for loopback hosts (`localhost`, `127.0.0.1`, `::1`). " +
					"When `api` is unset, a path ending in `/api/v1` or a `*.cerby.com` host other than `api.cerby.com` means the Cerby API, and any other endpoint the Read API. " +
					"Environment variable: `" + envEndpoint + "`.",
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
	endpoint := opts.BaseURL
	if endpoint == "" { // the Cerby API on the workspace's host, checked by resolveClientOptions
		endpoint, _ = client.WorkspaceBaseURL(opts.Workspace)
	}
	tflog.Debug(ctx, "Cerby client configured", map[string]any{"api": opts.API.String(), "endpoint": endpoint, "workspace": opts.Workspace})
	data := &providerData{client: c, secrets: secrets}
	p.data.Store(data)
	resp.DataSourceData = data
	resp.EphemeralResourceData = data
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
		newAccessDataSource,
		newTeamsDataSource,
		newTeamDataSource,
		newVaultsDataSource,
		newIntegrationsDataSource,
		newIntegrationUsersDataSource,
	}
}

// EphemeralResources are the list data sources again, never stored
// (ephemeral.go).
func (p *cerbyProvider) EphemeralResources(context.Context) []func() ephemeral.EphemeralResource {
	return ephemeralResources()
}
