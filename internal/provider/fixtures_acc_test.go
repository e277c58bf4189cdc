package provider_test

import (
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// fullAccount sends every documented field of both APIs (written in the Read
// API's form, see cerbyAccountAttributes), with createdBy and domains in
// their object forms, odd timestamp shapes and an unknown extra field. The
// Cerby API's own hasPasskey and lastPasswordChange are served by the Read
// API too, as keys it does not know, so that null there proves it ignores them.
var fullAccount = newFixture(uuidN(1), fixture{
	"name": "Instagram Brand", "username": "brand", "provider": "instagram",
	"vaultId": uuidN(901), "idekID": uuidN(902), "permissions": []any{"read", "share"},
	"workspace": "acme", "mfaEnabled": true, "autofillMfa": false, "passwordSet": true, "passwordVisible": false,
	"createdBy": fixture{
		"id": uuidN(801), "firstName": "Ada", "lastName": "Lovelace", "email": "ada@example.com",
		"idpUid": "idp-1", "lastUsed": "2024-02-01T10:00:00", "createdAt": "2023-01-01T00:00:00", "workspace": "acme",
	},
	"createdAt": "2024-02-03T13:20:32", "updatedAt": "2024-02-04T08:00:39.177000", "role": "account_owner",
	"avatar_url": "https://cdn.example.com/a.png", "email": "brand@example.com", "type": "identity",
	"url": "https://instagram.com", "domain": "instagram.com", "meta": fixture{"team": "social", "tier": 2},
	"status": "enabled", "phone": "+15550100", "rotatedBy": "automated_rotation",
	"rotatedAt": "2024-03-01T00:00:00Z", "syncedAt": "2024-03-02T00:00:00+00:00", "hasBackupCode": true,
	"rotatedById": uuidN(803),
	"domains": fixture{"id": "dom-1", "allowedDomains": []any{fixture{
		"domain": "instagram.com", "subdomain": "www", "hostname": "www.instagram.com",
		"path": "/", "url": "https://www.instagram.com/", "isMainDomain": true,
	}}},
	"lastLoginDate": "2024-03-03T09:09:09", "lastLoginUserName": "brand", "isEmailManaged": true,
	"isPhoneManaged": false, "originalEmail": "old@example.com", "originalPhone": "+15550199", "businessId": "",
	"mfaTypes": []any{"otp", "voip"}, "rotatedByUser": "Ada Lovelace", "hasTotpVirtualDevice": true,
	"workspacePolicyResult":    fixture{"mfa_validation": true, "password_rotation": false},
	"workspacePolicyCheckDate": "2024-03-04T00:00:00",
	"hasPasskey":               true, "lastPasswordChange": "2024-03-05T06:07:08.123456+00:00",
	"someFieldFromTheFuture": fixture{"ignored": true},
})

// fullAccountFields is fullAccount as read through api: what it does not
// send is null, and created_by_json is the JSON text it sent.
func fullAccountFields(api accAPI) map[string]knownvalue.Check {
	s, b := knownvalue.StringExact, knownvalue.Bool
	a := fullAccount
	return api.accountFields(map[string]knownvalue.Check{
		"id": s(a["id"].(string)), "name": s("Instagram Brand"), "username": s("brand"), "application": s("instagram"),
		"vault_id": s(uuidN(901)), "idek_id": s(uuidN(902)), "workspace": s("acme"),
		"mfa_enabled": b(true), "autofill_mfa": b(false), "password_set": b(true), "password_visible": b(false),
		"created_by": s(uuidN(801)), "created_by_email": s("ada@example.com"), "created_by_json": s(mustJSON(api.wireAccount(a)["createdBy"])),
		"created_at": s("2024-02-03T13:20:32"), "updated_at": s("2024-02-04T08:00:39.177000"), "role": s("account_owner"),
		"avatar_url": s("https://cdn.example.com/a.png"), "email": s("brand@example.com"), "type": s("identity"),
		"url": s("https://instagram.com"), "domain": s("instagram.com"), "status": s("enabled"), "phone": s("+15550100"),
		"rotated_by": s("automated_rotation"), "rotated_at": s("2024-03-01T00:00:00Z"),
		"synced_at": s("2024-03-02T00:00:00+00:00"), "has_backup_code": b(true), "rotated_by_id": s(uuidN(803)),
		"last_login_date": s("2024-03-03T09:09:09"), "last_login_user_name": s("brand"),
		"is_email_managed": b(true), "is_phone_managed": b(false), "original_email": s("old@example.com"),
		"original_phone": s("+15550199"), "business_id": s(""),
		"mfa_types":       knownvalue.ListExact([]knownvalue.Check{s("otp"), s("voip")}),
		"rotated_by_user": s("Ada Lovelace"), "has_totp_virtual_device": b(true),
		"workspace_policy_result": knownvalue.ObjectExact(map[string]knownvalue.Check{
			"mfa_validation": b(true), "password_rotation": b(false),
		}),
		"workspace_policy_check_date": s("2024-03-04T00:00:00"),
		"domains_json":                s(mustJSON(a["domains"])), "meta_json": s(mustJSON(a["meta"])),
		"permissions_json": s(mustJSON(a["permissions"])),
		"has_passkey":      b(true), "last_password_change": s("2024-03-05T06:07:08.123456+00:00"),
	})
}

// sparseAccount has createdBy and domains as plain strings, explicit nulls and
// missing keys: everything but the fields it sends must come out null.
var sparseAccount = newFixture(uuidN(2), fixture{
	"name": "tiktok ops", "provider": "tiktok", "createdBy": uuidN(804), "domains": "tiktok.com",
	"url": nil, "phone": nil, "meta": nil, "mfaTypes": nil, "workspacePolicyResult": nil, "permissions": nil,
	"rotatedAt": nil, "originalEmail": nil, "rotatedByUser": nil,
})

func sparseAccountFields(api accAPI) map[string]knownvalue.Check {
	fields := map[string]knownvalue.Check{}
	for name := range fullAccountFields(api) {
		fields[name] = knownvalue.Null()
	}
	s := knownvalue.StringExact
	fields["id"], fields["name"], fields["application"] = s(uuidN(2)), s("tiktok ops"), s("tiktok")
	fields["created_by"], fields["created_by_json"] = s(uuidN(804)), s(mustJSON(uuidN(804)))
	fields["domains_json"] = s(mustJSON("tiktok.com"))
	return api.accountFields(fields)
}

// account builds a minimal listing entry.
func account(n int, name, application string) fixture {
	return newFixture(uuidN(n), fixture{"name": name, "provider": application, "status": "enabled", "type": "identity"})
}

// fullMember and sparseMember cover every member field, then nulls.
var fullMember = newFixture(uuidN(101), fixture{
	"firstName": "Grace", "lastName": "Hopper", "email": "grace@example.com", "status": "live",
	"role": "workspace_owner", "isGuest": false, "createdAt": "2023-05-06T07:08:09",
	"updatedAt": "2024-01-02T03:04:05.123000", "lastActivity": "2024-06-07T08:09:10Z",
	"meta": fixture{"department": "navy"}, "someFieldFromTheFuture": 1,
})

var sparseMember = newFixture(uuidN(102), fixture{"email": "sparse@example.com", "lastActivity": nil, "meta": nil})

func fullMemberFields(api accAPI) map[string]knownvalue.Check {
	s := knownvalue.StringExact
	return api.memberFields(map[string]knownvalue.Check{
		"id": s(uuidN(101)), "first_name": s("Grace"), "last_name": s("Hopper"), "email": s("grace@example.com"),
		"status": s("live"), "role": s("workspace_owner"), "is_guest": knownvalue.Bool(false),
		"created_at": s("2023-05-06T07:08:09"), "updated_at": s("2024-01-02T03:04:05.123000"),
		"last_activity": s("2024-06-07T08:09:10Z"), "meta_json": s(mustJSON(fullMember["meta"])),
	})
}

func sparseMemberFields(api accAPI) map[string]knownvalue.Check {
	fields := map[string]knownvalue.Check{}
	for name := range fullMemberFields(api) {
		fields[name] = knownvalue.Null()
	}
	fields["id"], fields["email"] = knownvalue.StringExact(uuidN(102)), knownvalue.StringExact("sparse@example.com")
	return fields
}

func member(n int, email string) fixture {
	return newFixture(uuidN(n), fixture{"email": email, "status": "live", "isGuest": false})
}

// topLevel checks each field at the root of a data source (cerby_account).
func topLevel(address string, fields map[string]knownvalue.Check) []statecheck.StateCheck {
	checks := make([]statecheck.StateCheck, 0, len(fields))
	for name, check := range fields {
		checks = append(checks, statecheck.ExpectKnownValue(address, tfjsonpath.New(name), check))
	}
	return checks
}

// element checks the fields of one entry of a list attribute.
func element(address, list string, index int, fields map[string]knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(address, tfjsonpath.New(list).AtSliceIndex(index), knownvalue.ObjectPartial(fields))
}

// idList checks an ids attribute holds exactly these fixture ids, in order.
func idList(address string, ns ...int) statecheck.StateCheck {
	ids := make([]knownvalue.Check, len(ns))
	for i, n := range ns {
		ids[i] = knownvalue.StringExact(uuidN(n))
	}
	return statecheck.ExpectKnownValue(address, tfjsonpath.New("ids"), knownvalue.ListExact(ids))
}
