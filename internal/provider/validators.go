package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// The validators below adapt the pure check functions, so that validate time
// and Configure (which sees environment values too) share one implementation.
// Null and unknown values are skipped: Configure handles them.

type stringCheck struct {
	description string
	check       func(string) error
}

func (v stringCheck) Description(context.Context) string         { return v.description }
func (v stringCheck) MarkdownDescription(context.Context) string { return v.description }

func (v stringCheck) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	addCheckError(&resp.Diagnostics, req.Path, v.check(req.ConfigValue.ValueString()))
}

type int64Check struct {
	description string
	check       func(int64) error
}

func (v int64Check) Description(context.Context) string         { return v.description }
func (v int64Check) MarkdownDescription(context.Context) string { return v.description }

func (v int64Check) ValidateInt64(_ context.Context, req validator.Int64Request, resp *validator.Int64Response) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	addCheckError(&resp.Diagnostics, req.Path, v.check(req.ConfigValue.ValueInt64()))
}

type float64Check struct {
	description string
	check       func(float64) error
}

func (v float64Check) Description(context.Context) string         { return v.description }
func (v float64Check) MarkdownDescription(context.Context) string { return v.description }

func (v float64Check) ValidateFloat64(_ context.Context, req validator.Float64Request, resp *validator.Float64Response) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	addCheckError(&resp.Diagnostics, req.Path, v.check(req.ConfigValue.ValueFloat64()))
}

func addCheckError(diags *diag.Diagnostics, at path.Path, err error) {
	if err != nil {
		addAttributeError(diags, at, "Invalid value for "+at.String(), err.Error())
	}
}

// addAttributeError attaches the error to its attribute, except for a
// credential: there the CLI would print the configuration line beside the
// message, and so a credential written in clear (the leak tests caught it).
// The summary names the attribute either way.
func addAttributeError(diags *diag.Diagnostics, at path.Path, summary, detail string) {
	if isCredential(at) {
		diags.AddError(summary, detail)
		return
	}
	diags.AddAttributeError(at, summary, detail)
}

func isCredential(at path.Path) bool {
	return at.Equal(path.Root("api_key")) || at.Equal(path.Root("bearer_token"))
}

var uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// checkUUID keeps anything but a plain UUID (such as "../admin/users") out of
// request paths.
func checkUUID(s string) error {
	if !uuidPattern.MatchString(s) {
		return fmt.Errorf("expected a UUID such as 3f2b6c1e-8d4a-4e5b-9c7d-1a2b3c4d5e6f, got %q", s)
	}
	return nil
}

func checkEmail(s string) error {
	if strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return fmt.Errorf("expected an email address without spaces or control characters, got %q", s)
	}
	local, domain, found := strings.Cut(s, "@")
	if !found || local == "" || domain == "" || strings.Contains(domain, "@") {
		return fmt.Errorf("expected an email address with exactly one @, such as jane@example.com, got %q", s)
	}
	return nil
}

var (
	uuidValidator  = stringCheck{"value must be a UUID", checkUUID}
	emailValidator = stringCheck{"value must be an email address", checkEmail}
)
