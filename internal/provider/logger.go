package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cerby-community/terraform-provider-cerby/internal/client"
)

// tflogLogger sends the client's log lines to Terraform's provider log.
type tflogLogger struct{}

var _ client.Logger = tflogLogger{}

func (tflogLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	tflog.Debug(withOwnFields(ctx, fields), msg)
}

func (tflogLogger) Warn(ctx context.Context, msg string, fields map[string]any) {
	tflog.Warn(withOwnFields(ctx, fields), msg)
}

// withOwnFields puts fields on a copy of ctx's logger fields (SetField
// copies them). terraform-plugin-log masks a line by rewriting the context's
// field map in place, so the paging goroutines, logging on one context at
// once, crashed the provider with "concurrent map iteration and map write".
// The client sends fields with every line.
func withOwnFields(ctx context.Context, fields map[string]any) context.Context {
	for key, value := range fields {
		ctx = tflog.SetField(ctx, key, value)
	}
	return ctx
}

// maskSecrets is defence in depth: the client never logs credentials, and
// this makes sure no later log line on ctx can carry them either.
func maskSecrets(ctx context.Context, secrets []string) context.Context {
	if len(secrets) == 0 {
		return ctx
	}
	return tflog.MaskLogStrings(ctx, secrets...) // field values and messages
}

// nonEmpty drops empty strings, which would otherwise mask every position of
// every log line.
func nonEmpty(values ...string) []string {
	var kept []string
	for _, v := range values {
		if v != "" {
			kept = append(kept, v)
		}
	}
	return kept
}
