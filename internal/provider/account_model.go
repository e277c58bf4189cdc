package provider

import (
	"cmp"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cerby-community/terraform-provider-cerby/internal/client"
)

// accountModel is one account as exposed to Terraform. It is embedded by the
// cerby_account model and used as the element of the accounts lists.
type accountModel struct {
	ID                       types.String                `tfsdk:"id"`
	Name                     types.String                `tfsdk:"name"`
	Username                 types.String                `tfsdk:"username"`
	Application              types.String                `tfsdk:"application"`
	VaultID                  types.String                `tfsdk:"vault_id"`
	IdekID                   types.String                `tfsdk:"idek_id"`
	Workspace                types.String                `tfsdk:"workspace"`
	MfaEnabled               types.Bool                  `tfsdk:"mfa_enabled"`
	AutofillMfa              types.Bool                  `tfsdk:"autofill_mfa"`
	PasswordSet              types.Bool                  `tfsdk:"password_set"`
	PasswordVisible          types.Bool                  `tfsdk:"password_visible"`
	CreatedBy                types.String                `tfsdk:"created_by"`
	CreatedByEmail           types.String                `tfsdk:"created_by_email"`
	CreatedByJSON            types.String                `tfsdk:"created_by_json"`
	CreatedAt                types.String                `tfsdk:"created_at"`
	UpdatedAt                types.String                `tfsdk:"updated_at"`
	Role                     types.String                `tfsdk:"role"`
	AvatarURL                types.String                `tfsdk:"avatar_url"`
	Email                    types.String                `tfsdk:"email"`
	Type                     types.String                `tfsdk:"type"`
	URL                      types.String                `tfsdk:"url"`
	Domain                   types.String                `tfsdk:"domain"`
	Status                   types.String                `tfsdk:"status"`
	Phone                    types.String                `tfsdk:"phone"`
	RotatedBy                types.String                `tfsdk:"rotated_by"`
	RotatedAt                types.String                `tfsdk:"rotated_at"`
	LastPasswordChange       types.String                `tfsdk:"last_password_change"`
	SyncedAt                 types.String                `tfsdk:"synced_at"`
	HasBackupCode            types.Bool                  `tfsdk:"has_backup_code"`
	RotatedByID              types.String                `tfsdk:"rotated_by_id"`
	LastLoginDate            types.String                `tfsdk:"last_login_date"`
	LastLoginUserName        types.String                `tfsdk:"last_login_user_name"`
	IsEmailManaged           types.Bool                  `tfsdk:"is_email_managed"`
	IsPhoneManaged           types.Bool                  `tfsdk:"is_phone_managed"`
	OriginalEmail            types.String                `tfsdk:"original_email"`
	OriginalPhone            types.String                `tfsdk:"original_phone"`
	BusinessID               types.String                `tfsdk:"business_id"`
	MfaTypes                 []string                    `tfsdk:"mfa_types"` // nil is a null list, empty stays an empty list
	RotatedByUser            types.String                `tfsdk:"rotated_by_user"`
	HasTotpVirtualDevice     types.Bool                  `tfsdk:"has_totp_virtual_device"`
	HasPasskey               types.Bool                  `tfsdk:"has_passkey"`
	WorkspacePolicyResult    *workspacePolicyResultModel `tfsdk:"workspace_policy_result"` // nil is a null object
	WorkspacePolicyCheckDate types.String                `tfsdk:"workspace_policy_check_date"`
	DomainsJSON              types.String                `tfsdk:"domains_json"`
	MetaJSON                 types.String                `tfsdk:"meta_json"`
	PermissionsJSON          types.String                `tfsdk:"permissions_json"`
}

type workspacePolicyResultModel struct {
	MfaValidation    types.Bool `tfsdk:"mfa_validation"`
	PasswordRotation types.Bool `tfsdk:"password_rotation"`
}

func accountModelFrom(a *client.Account) accountModel {
	m := accountModel{
		ID:                       types.StringValue(a.ID),
		Name:                     types.StringPointerValue(a.Name),
		Username:                 types.StringPointerValue(a.Username),
		Application:              types.StringPointerValue(a.Provider),
		VaultID:                  types.StringPointerValue(a.VaultID),
		IdekID:                   types.StringPointerValue(a.IdekID),
		Workspace:                types.StringPointerValue(a.Workspace),
		MfaEnabled:               types.BoolPointerValue(a.MfaEnabled),
		AutofillMfa:              types.BoolPointerValue(a.AutofillMfa),
		PasswordSet:              types.BoolPointerValue(a.PasswordSet),
		PasswordVisible:          types.BoolPointerValue(a.PasswordVisible),
		CreatedBy:                types.StringNull(),
		CreatedByEmail:           types.StringNull(),
		CreatedByJSON:            types.StringNull(),
		CreatedAt:                types.StringPointerValue(a.CreatedAt),
		UpdatedAt:                types.StringPointerValue(a.UpdatedAt),
		Role:                     types.StringPointerValue(a.Role),
		AvatarURL:                types.StringPointerValue(a.AvatarURL),
		Email:                    types.StringPointerValue(a.Email),
		Type:                     types.StringPointerValue(a.Type),
		URL:                      types.StringPointerValue(a.URL),
		Domain:                   types.StringPointerValue(a.Domain),
		Status:                   types.StringPointerValue(a.Status),
		Phone:                    types.StringPointerValue(a.Phone),
		RotatedBy:                types.StringPointerValue(a.RotatedBy),
		RotatedAt:                types.StringPointerValue(a.RotatedAt),
		LastPasswordChange:       types.StringPointerValue(a.LastPasswordChange),
		SyncedAt:                 types.StringPointerValue(a.SyncedAt),
		HasBackupCode:            types.BoolPointerValue(a.HasBackupCode),
		RotatedByID:              types.StringPointerValue(a.RotatedByID),
		LastLoginDate:            types.StringPointerValue(a.LastLoginDate),
		LastLoginUserName:        types.StringPointerValue(a.LastLoginUserName),
		IsEmailManaged:           types.BoolPointerValue(a.IsEmailManaged),
		IsPhoneManaged:           types.BoolPointerValue(a.IsPhoneManaged),
		OriginalEmail:            types.StringPointerValue(a.OriginalEmail),
		OriginalPhone:            types.StringPointerValue(a.OriginalPhone),
		BusinessID:               types.StringPointerValue(a.BusinessID),
		MfaTypes:                 a.MfaTypes,
		RotatedByUser:            types.StringPointerValue(a.RotatedByUser),
		HasTotpVirtualDevice:     types.BoolPointerValue(a.HasTotpVirtualDevice),
		HasPasskey:               types.BoolPointerValue(a.HasPasskey),
		WorkspacePolicyCheckDate: types.StringPointerValue(a.WorkspacePolicyCheckDate),
		DomainsJSON:              rawJSONValue(a.Domains),
		MetaJSON:                 rawJSONValue(a.Meta),
		PermissionsJSON:          rawJSONValue(a.Permissions),
	}
	if a.CreatedBy != nil {
		m.CreatedBy = types.StringPointerValue(a.CreatedBy.ID)
		m.CreatedByEmail = types.StringPointerValue(a.CreatedBy.Email)
		m.CreatedByJSON = rawJSONValue(a.CreatedBy.Raw)
	}
	if p := a.WorkspacePolicyResult; p != nil {
		m.WorkspacePolicyResult = &workspacePolicyResultModel{
			MfaValidation:    types.BoolPointerValue(p.MfaValidation),
			PasswordRotation: types.BoolPointerValue(p.PasswordRotation),
		}
	}
	return m
}

// rawJSONValue keeps the JSON exactly as the API sent it; the client leaves
// raw fields empty when they were absent or null.
func rawJSONValue(raw client.RawJSON) types.String {
	if raw == "" {
		return types.StringNull()
	}
	return types.StringValue(string(raw))
}

// sortAccounts orders accounts by case-folded name, then id, so that plans do
// not churn when the API changes its listing order. A missing name sorts as "".
func sortAccounts(accounts []client.Account) {
	sortByFoldedKey(accounts, func(a *client.Account) (*string, string) { return a.Name, a.ID })
}

// sortByFoldedKey orders items by a case-folded key, then id, then their
// place (a listing that is not paged may repeat an id). Each key is folded
// once, the keys are sorted side by side rather than through an index, and
// the items (large structs) move once, to their final place.
func sortByFoldedKey[T any](items []T, keyAndID func(*T) (*string, string)) {
	type sortKey struct {
		folded, id string
		at         int
	}
	keys := make([]sortKey, len(items))
	for i := range items {
		key, id := keyAndID(&items[i])
		if key != nil {
			keys[i].folded = strings.ToLower(*key)
		}
		keys[i].id, keys[i].at = id, i
	}
	slices.SortFunc(keys, func(a, b sortKey) int {
		return cmp.Or(strings.Compare(a.folded, b.folded), strings.Compare(a.id, b.id), cmp.Compare(a.at, b.at))
	})
	order := make([]int, len(items))
	for i, k := range keys {
		order[i] = k.at
	}
	permute(items, order)
}

// permute moves items[order[i]] to i in place, one cycle of the permutation
// at a time; it consumes order.
func permute[T any](items []T, order []int) {
	for start := range order {
		if order[start] < 0 {
			continue
		}
		first, at := items[start], start
		for {
			next := order[at]
			order[at] = -1
			if next == start {
				items[at] = first
				break
			}
			items[at], at = items[next], next
		}
	}
}

// idsOf lists the ids of items, keeping their order; never nil, so an empty
// result is an empty list rather than null.
func idsOf[T any](items []T, id func(T) string) []string {
	ids := make([]string, 0, len(items))
	for _, item := range items {
		ids = append(ids, id(item))
	}
	return ids
}

func accountID(a client.Account) string { return a.ID }

// modelField describes one computed attribute of an account or member object
// for the schema; its description is completed by the API sentence of source.
type modelField struct {
	name        string
	kind        fieldKind
	description string
	source      fieldSource
}

type fieldKind int

const (
	stringField fieldKind = iota
	boolField
	stringListField
	policyField
)

// fieldSource names the key each API sends an attribute's value under, so
// that its description says which API fills it (contract/cerby-api.md, C11):
// an API that never sends the key leaves the attribute null.
type fieldSource struct {
	readAPI  string // the Read API's key; "" when it sends none
	cerbyAPI string // the Cerby API's key; "" when it sends none
	// cerbyAPINote qualifies the Cerby API's key, such as a key only a third
	// party reports; a clause without a final period.
	cerbyAPINote string
}

// reportedOnly is the note of a Cerby API key only a third party reports
// (contract/cerby-api.md §5.1): its type is assumed, and a value of another
// type is left null with a warning (C10).
const reportedOnly = "known on the Cerby API from a third party only, so possibly null there"

// both: the two APIs send the value under the same key.
func both(key string) fieldSource { return fieldSource{readAPI: key, cerbyAPI: key} }

// renamed: the two APIs send the value under different keys.
func renamed(readAPI, cerbyAPI string) fieldSource {
	return fieldSource{readAPI: readAPI, cerbyAPI: cerbyAPI}
}

// reported: both, but only a third party reports the Cerby API's key.
func reported(key string) fieldSource {
	return fieldSource{readAPI: key, cerbyAPI: key, cerbyAPINote: reportedOnly}
}

func readAPIOnly(key string) fieldSource { return fieldSource{readAPI: key} }

func cerbyAPIOnly(key string) fieldSource { return fieldSource{cerbyAPI: key} }

// sentence says which API fills the attribute, and from which key.
func (s fieldSource) sentence() string {
	var text string
	switch {
	case s.readAPI != "" && s.readAPI == s.cerbyAPI:
		text = "Both APIs (`" + s.readAPI + "`)"
	case s.readAPI != "" && s.cerbyAPI != "":
		text = "Both APIs: the Read API's `" + s.readAPI + "`, the Cerby API's `" + s.cerbyAPI + "`"
	case s.readAPI != "":
		text = "Read API only (its `" + s.readAPI + "`); null on the Cerby API"
	case s.cerbyAPI != "":
		text = "Cerby API only (its `" + s.cerbyAPI + "`); null on the Read API"
	}
	if s.cerbyAPINote != "" {
		text += "; " + s.cerbyAPINote
	}
	return text + "."
}

// fullDescription is the attribute's MarkdownDescription.
func (f modelField) fullDescription() string { return f.description + " " + f.source.sentence() }

const timestampNote = " Kept as the ISO-8601 string the API sent (often without a time zone), never parsed, so the two APIs may spell one instant differently."

// accountFields follows the Read API's account object (contract/read-api.md
// §3.1) and the Cerby API's (contract/cerby-api.md §5.1); `provider` is
// renamed `application` because `provider` is a reserved name in Terraform.
var accountFields = []modelField{
	{"id", stringField, "Account id (a UUID).", both("id")},
	{"name", stringField, "Account label.", renamed("name", "label")},
	{"username", stringField, "Login user name of the account.", readAPIOnly("username")},
	{"application", stringField, "Application id, such as `google`, `instagram` or `unmanaged`.", renamed("provider", "application")},
	{"vault_id", stringField, "Id of the vault holding the account.", readAPIOnly("vaultId")},
	{"idek_id", stringField, "IDEK id of the account.", readAPIOnly("idekID")},
	{"workspace", stringField, "Workspace the account belongs to.", both("workspace")},
	{"mfa_enabled", boolField, "Whether multi-factor authentication is enabled.", both("mfaEnabled")},
	{"autofill_mfa", boolField, "Whether Cerby autofills the MFA code.", reported("autofillMfa")},
	{"password_set", boolField, "Whether a password is stored.", reported("passwordSet")},
	{"password_visible", boolField, "Whether the password can be revealed to the caller.", reported("passwordVisible")},
	{"created_by", stringField, "Id of the member who created the account, whether the API sent an id or a user object (the Cerby API sends an id).", both("createdBy")},
	{"created_by_email", stringField, "Email of the creator; null when the Read API sent only an id.", fieldSource{readAPI: "createdBy.email", cerbyAPI: "createdByEmail", cerbyAPINote: reportedOnly}},
	{"created_by_json", stringField, "The `createdBy` value exactly as the API sent it (a JSON string or object; always a string on the Cerby API); null when absent. Decode with `jsondecode()`.", both("createdBy")},
	{"created_at", stringField, "Creation time." + timestampNote, both("createdAt")},
	{"updated_at", stringField, "Last update time." + timestampNote, both("updatedAt")},
	{"role", stringField, "The caller's role on the account, such as `account_owner`, `account_manager`, `account_collaborator` (older values: `owner`, `collaborator`); never guessed from the Cerby API's Owner rule.", readAPIOnly("role")},
	{"avatar_url", stringField, "URL of the account's avatar.", fieldSource{readAPI: "avatar_url", cerbyAPI: "avatarUrl", cerbyAPINote: reportedOnly}},
	{"email", stringField, "Email of the account.", reported("email")},
	{"type", stringField, "Item type: `identity`, `resource`, `secret` or `integration`; never the Cerby API's JSON:API resource type (`account`).", readAPIOnly("type")},
	{"url", stringField, "URL of the application.", reported("url")},
	{"domain", stringField, "Domain of the application.", reported("domain")},
	{"status", stringField, "Account status: `pending`, `provision`, `success`, `enabled`, `disabled`, …", reported("status")},
	{"phone", stringField, "Phone number of the account.", reported("phone")},
	{"rotated_by", stringField, "How the password was last rotated: `manual_rotation` or `automated_rotation`.", reported("rotatedBy")},
	{"rotated_at", stringField, "Time of the last password rotation." + timestampNote, reported("rotatedAt")},
	{"last_password_change", stringField, "Time of the last password change." + timestampNote, cerbyAPIOnly("lastPasswordChange")},
	{"synced_at", stringField, "Time of the last synchronisation." + timestampNote, reported("syncedAt")},
	{"has_backup_code", boolField, "Whether MFA backup codes are stored.", both("hasBackupCode")},
	{"rotated_by_id", stringField, "Id of the member who last rotated the password.", reported("rotatedById")},
	{"last_login_date", stringField, "Time of the last login through Cerby." + timestampNote, both("lastLoginDate")},
	{"last_login_user_name", stringField, "Name of the member who last logged in.", renamed("lastLoginUserName", "lastLoginBy")},
	{"is_email_managed", boolField, "Whether the email is managed by Cerby (on the Cerby API: whether Cerby created it).", renamed("isEmailManaged", "cerbyManagedEmail")},
	{"is_phone_managed", boolField, "Whether the phone number is managed by Cerby (on the Cerby API: whether Cerby created it).", renamed("isPhoneManaged", "cerbyManagedPhone")},
	{"original_email", stringField, "Email before Cerby started managing it.", readAPIOnly("originalEmail")},
	{"original_phone", stringField, "Phone number before Cerby started managing it.", readAPIOnly("originalPhone")},
	{"business_id", stringField, "Business id, for service accounts; the Read API sends an empty string when unused.", both("businessId")},
	{"mfa_types", stringListField, "MFA methods, such as `otp`, `voip`, `email` (the Cerby API adds `rsa_secur_id_token`, `non-voip`); null when the API sent none, empty when it sent an empty list.", both("mfaTypes")},
	{"rotated_by_user", stringField, "Full name of the member who last rotated the password.", readAPIOnly("rotatedByUser")},
	{"has_totp_virtual_device", boolField, "Whether a TOTP virtual device is set up.", renamed("hasTotpVirtualDevice", "hasTotp")},
	{"has_passkey", boolField, "Whether a passkey is set up.", cerbyAPIOnly("hasPasskey")},
	{"workspace_policy_result", policyField, "Result of the workspace policy check; null when the API sent none.", readAPIOnly("workspacePolicyResult")},
	{"workspace_policy_check_date", stringField, "Time of the last workspace policy check." + timestampNote, readAPIOnly("workspacePolicyCheckDate")},
	{"domains_json", stringField, "The `domains` value exactly as the API sent it (a JSON string or object with `allowedDomains`); null when absent. Decode with `jsondecode()`.", readAPIOnly("domains")},
	{"meta_json", stringField, "The free-form `meta` object as JSON; null when absent. Decode with `jsondecode()`.", reported("meta")},
	{"permissions_json", stringField, "The `permissions` array as JSON; null when absent. Decode with `jsondecode()`.", readAPIOnly("permissions")},
}

// workspacePolicyFields are the attributes of workspace_policy_result.
var workspacePolicyFields = []modelField{
	{"mfa_validation", boolField, "Whether the account passes the workspace MFA policy; null when not reported.", readAPIOnly("workspacePolicyResult.mfa_validation")},
	{"password_rotation", boolField, "Whether the account passes the workspace password rotation policy; null when not reported.", readAPIOnly("workspacePolicyResult.password_rotation")},
}

// accountField is the entry of accountFields named name; it panics on a
// name the table does not have, which the schema tests would catch.
func accountField(name string) modelField {
	for _, f := range accountFields {
		if f.name == name {
			return f
		}
	}
	panic("no account field " + name)
}

// accountAttributes builds the computed account attributes shared by the
// accounts lists and the top level of cerby_account.
func accountAttributes() map[string]schema.Attribute { return computedAttributes(accountFields) }

func computedAttributes(fields []modelField) map[string]schema.Attribute {
	attrs := make(map[string]schema.Attribute, len(fields))
	for _, f := range fields {
		attrs[f.name] = computedAttribute(f)
	}
	return attrs
}

func computedAttribute(f modelField) schema.Attribute {
	switch f.kind {
	case boolField:
		return schema.BoolAttribute{Computed: true, MarkdownDescription: f.fullDescription()}
	case stringListField:
		return schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: f.fullDescription()}
	case policyField:
		return schema.SingleNestedAttribute{
			Computed:            true,
			MarkdownDescription: f.fullDescription(),
			Attributes:          computedAttributes(workspacePolicyFields),
		}
	default:
		return schema.StringAttribute{Computed: true, MarkdownDescription: f.fullDescription()}
	}
}

// accountListAttribute is the computed `accounts` list of the list data sources.
func accountListAttribute(description string) schema.Attribute {
	return schema.ListNestedAttribute{
		Computed:            true,
		MarkdownDescription: description,
		NestedObject:        schema.NestedAttributeObject{Attributes: accountAttributes()},
	}
}
