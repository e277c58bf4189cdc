package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cerby-community/terraform-provider-cerby/internal/client"
)

// A plain listing of what only the Cerby API offers (cerby_teams,
// cerby_vaults, cerby_integrations): every page of one endpoint, max_items,
// the items sorted under one list attribute, their ids, truncated. One
// schema and one read serve the three; each data source says only what it
// lists and how.

// cerbyListingArgs is what every such listing's model holds beside its
// items, embedded in it.
type cerbyListingArgs struct {
	MaxItems  types.Int64    `tfsdk:"max_items"`
	IDs       []string       `tfsdk:"ids"`
	Truncated types.Bool     `tfsdk:"truncated"`
	Timeouts  timeouts.Value `tfsdk:"timeouts"`
}

// cerbyListing is one such listing: its data source's name, its list
// attribute (also the plural its messages use), the client method that reads
// it, and toModels, which sorts the items and maps them with their ids.
type cerbyListing[S, M any] struct {
	dataSource, list string
	read             func(*client.Client, context.Context, int) ([]S, bool, error)
	toModels         func([]S) ([]M, []string)
}

// schema is the listing's schema; description ends with cerbyAPIOnlyText.
func (l cerbyListing[S, M]) schema(ctx context.Context, description, listDescription string, fields []cerbyField) schema.Schema {
	return schema.Schema{
		MarkdownDescription: description + cerbyAPIOnlyText,
		Attributes: map[string]schema.Attribute{
			"max_items": maxItemsAttribute(l.list),
			l.list: schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: listDescription,
				NestedObject:        schema.NestedAttributeObject{Attributes: cerbyAttributes(fields)},
			},
			"ids":       idsAttribute(l.list),
			"truncated": truncatedAttribute(l.list),
		},
		Blocks: map[string]schema.Block{"timeouts": timeoutsBlock(ctx)},
	}
}

// readInto reads config into model, whose args are embedded in it, and
// returns the listing's items, or false when the read failed (diags say
// why).
func (l cerbyListing[S, M]) readInto(ctx context.Context, d *dataSourceBase, config tfsdk.Config, model any, args *cerbyListingArgs, diags *diag.Diagnostics) ([]M, bool) {
	ctx, cancel, ok := d.beginRead(ctx, config, model, &args.Timeouts, diags)
	defer cancel()
	if !ok || !requireCerbyAPI(d.data.client.API(), l.dataSource, diags) {
		return nil, false
	}
	items, truncated, err := l.read(d.data.client, ctx, int(args.MaxItems.ValueInt64()))
	if err != nil {
		addReadError(ctx, diags, "Cannot read Cerby "+l.list, err)
		return nil, false
	}
	models, ids := l.toModels(items)
	args.IDs, args.Truncated = ids, types.BoolValue(truncated)
	return models, true
}

// cerbyListingNarrowing is how to narrow such a listing that is too large
// for Terraform (ceiling.go): it has no filter.
const cerbyListingNarrowing = "Narrow it: set max_items."
