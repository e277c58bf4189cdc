package provider

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// NewServer returns the provider's protocol 6 server at the given version,
// for tf6server.Serve and for terraform-plugin-testing.
//
// terraform-plugin-framework serves every call but ReadDataSource. A data
// source read is answered here: the configuration is decoded, the data
// source's readState fills its model, and encodeState writes the state's
// msgpack directly. The framework would build the state as a tftypes.Value
// and then copy, compare, walk and encode it several times over, which for
// 100k accounts cost about 20 times the CPU of fetching and decoding the
// pages (bench/RESULTS.md). Validation, schemas and configuration stay the
// framework's. OpenEphemeralResource is answered here too, the same way
// (ephemeral.go): the framework's walks every value of the result against
// the schema, about 6 s and 2.2 GB allocated for a cerby_accounts of 10k
// accounts that this answers in 0.3 s and 77 MB
// (BenchmarkOpenEphemeralResource).
func NewServer(version string) func() (tfprotov6.ProviderServer, error) {
	return func() (tfprotov6.ProviderServer, error) {
		p := &cerbyProvider{version: version}
		framework, err := providerserver.NewProtocol6WithError(p)()
		if err != nil {
			return nil, err
		}
		services, ok := framework.(frameworkServer)
		if !ok {
			return nil, fmt.Errorf("terraform-plugin-framework's server (%T) no longer offers every protocol 6 service this wrapper passes on", framework)
		}
		return &server{frameworkServer: services, provider: p}, nil
	}
}

// frameworkServer is every protocol 6 service terraform-plugin-framework
// implements, so that wrapping it hides none of them.
type frameworkServer interface {
	tfprotov6.ProviderServerWithListResource //nolint:staticcheck // the framework serves these optional services too
	tfprotov6.ProviderServerWithActions      //nolint:staticcheck // idem
	tfprotov6.ProviderServerWithStateStores  //nolint:staticcheck // idem
}

type server struct {
	frameworkServer
	provider   *cerbyProvider
	readers    sync.Map // type name → *stateReaderType
	ephemerals sync.Map // type name → *ephemeralType
}

// stateReader is a data source whose read fills its model from the
// configuration. It returns a pointer to the model, or nil when diags say
// why it could not.
type stateReader interface {
	datasource.DataSourceWithConfigure
	readState(ctx context.Context, config tfsdk.Config, diags *diag.Diagnostics) any
}

// frameworkRead is the framework's Read for every data source, for a server
// without NewServer's wrapper; tests hold the two paths to the same state.
func frameworkRead(ctx context.Context, d stateReader, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	if model := d.readState(ctx, req.Config, &resp.Diagnostics); model != nil {
		resp.Diagnostics.Append(setState(ctx, &resp.State, model)...)
	}
}

// stateReaderType is what ReadDataSource needs to know of one data source.
type stateReaderType struct {
	newReader func() stateReader
	schema    schema.Schema
	typ       tftypes.Type
}

func (s *server) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	r := s.readerType(ctx, req.TypeName)
	if r == nil {
		return s.frameworkServer.ReadDataSource(ctx, req) // not ours: the framework explains
	}
	var diags diag.Diagnostics
	state := r.read(ctx, s.provider.data.Load(), req.Config, &diags)
	return &tfprotov6.ReadDataSourceResponse{State: state, Diagnostics: protocolDiagnostics(diags)}, nil
}

func (s *server) OpenEphemeralResource(ctx context.Context, req *tfprotov6.OpenEphemeralResourceRequest) (*tfprotov6.OpenEphemeralResourceResponse, error) {
	e := s.ephemeralType(ctx, req.TypeName)
	if e == nil {
		return s.frameworkServer.OpenEphemeralResource(ctx, req) // not ours: the framework explains
	}
	var diags diag.Diagnostics
	result := e.open(ctx, s.provider.data.Load(), req.Config, &diags)
	return &tfprotov6.OpenEphemeralResourceResponse{Result: result, Diagnostics: protocolDiagnostics(diags)}, nil
}

func (r *stateReaderType) read(ctx context.Context, data *providerData, config *tfprotov6.DynamicValue, diags *diag.Diagnostics) *tfprotov6.DynamicValue {
	return answerBelowFramework(ctx, r.typ, config, dataSourceAnswer, diags, func(raw tftypes.Value) any {
		reader := r.newReader()
		if data != nil {
			var resp datasource.ConfigureResponse
			reader.Configure(ctx, datasource.ConfigureRequest{ProviderData: data}, &resp)
			diags.Append(resp.Diagnostics...)
		}
		return reader.readState(ctx, tfsdk.Config{Raw: raw, Schema: r.schema}, diags)
	})
}

// answerKind names what is answered below the framework, for its messages.
type answerKind struct {
	what, verb, written string // "data source", "read", "state"
}

var (
	dataSourceAnswer = answerKind{"data source", "read", "state"}
	ephemeralAnswer  = answerKind{"ephemeral resource", "open", "result"}
)

// answerBelowFramework is what a data source's read and an ephemeral
// resource's open share: the configuration decoded as typ, the model read
// from it, and written as msgpack under the protocol's ceiling. On failure
// it answers the configuration back, as the framework does.
func answerBelowFramework(ctx context.Context, typ tftypes.Type, config *tfprotov6.DynamicValue, k answerKind, diags *diag.Diagnostics, read func(raw tftypes.Value) any) *tfprotov6.DynamicValue {
	failed := config
	if config == nil {
		diags.AddError("Missing "+k.what+" configuration", bugReport(fmt.Errorf("terraform sent no configuration to %s", k.verb)))
		return nil
	}
	raw, err := config.Unmarshal(typ)
	if err != nil {
		diags.AddError("Cannot decode the "+k.what+"'s configuration", bugReport(err))
		return failed
	}
	model := read(raw)
	if model == nil || diags.HasError() {
		return failed
	}
	written, err := encodeState(ctx, typ, model)
	if err != nil {
		diags.AddError("Cannot write the "+k.what+"'s "+k.written, bugReport(err))
		return failed
	}
	if ceiling := stateCeiling(); len(written) > ceiling {
		summary, detail := ceilingError(len(written), ceiling, model)
		diags.AddError(summary, strings.Replace(detail, "whose state is", "whose "+k.written+" is", 1))
		return failed
	}
	collectAfterLargeRead(len(written))
	return &tfprotov6.DynamicValue{MsgPack: written}
}

// largeState is the state size from which a read's garbage is collected at
// once (about 1,000 accounts).
const largeState = 2 << 20

// collectAfterLargeRead runs the garbage collector once the state is
// written, so that gRPC's copy of it can reuse the memory of the pages and
// items just read rather than add to it (in one run: peak RSS 93 → 81 MB
// at 10k accounts, 702 → 662 MB at 100k). What stays live is mostly the
// state, which holds no pointers, so the collection is quick.
func collectAfterLargeRead(stateBytes int) {
	if stateBytes >= largeState {
		runtime.GC()
	}
}

// readerType finds the data source named typeName, working out its schema
// once per server.
func (s *server) readerType(ctx context.Context, typeName string) *stateReaderType {
	if cached, ok := s.readers.Load(typeName); ok {
		return cached.(*stateReaderType)
	}
	for _, newDataSource := range s.provider.DataSources(ctx) {
		reader, ok := newDataSource().(stateReader)
		if !ok {
			continue
		}
		var meta datasource.MetadataResponse
		reader.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: providerTypeName}, &meta)
		if meta.TypeName != typeName {
			continue
		}
		var resp datasource.SchemaResponse
		reader.Schema(ctx, datasource.SchemaRequest{}, &resp)
		r := &stateReaderType{
			newReader: func() stateReader { return newDataSource().(stateReader) },
			schema:    resp.Schema,
			typ:       resp.Schema.Type().TerraformType(ctx),
		}
		s.readers.Store(typeName, r)
		return r
	}
	return nil
}

// protocolDiagnostics converts diagnostics as the framework does.
func protocolDiagnostics(diags diag.Diagnostics) []*tfprotov6.Diagnostic {
	var out []*tfprotov6.Diagnostic
	for _, d := range diags {
		pd := &tfprotov6.Diagnostic{Severity: tfprotov6.DiagnosticSeverityWarning, Summary: d.Summary(), Detail: d.Detail()}
		if d.Severity() == diag.SeverityError {
			pd.Severity = tfprotov6.DiagnosticSeverityError
		}
		if withPath, ok := d.(diag.DiagnosticWithPath); ok {
			pd.Attribute = attributePath(withPath.Path())
		}
		out = append(out, pd)
	}
	return out
}

// attributePath converts a framework path; the data sources point only at
// attributes and list elements.
func attributePath(p path.Path) *tftypes.AttributePath {
	out := tftypes.NewAttributePath()
	for _, step := range p.Steps() {
		switch step := step.(type) {
		case path.PathStepAttributeName:
			out = out.WithAttributeName(string(step))
		case path.PathStepElementKeyInt:
			out = out.WithElementKeyInt(int(step))
		case path.PathStepElementKeyString:
			out = out.WithElementKeyString(string(step))
		}
	}
	return out
}
