package cerbysim

import (
	"encoding/json"
	"regexp"
	"slices"
	"testing"
)

var documentedAccountKeys = []string{
	"id", "name", "username", "provider", "vaultId", "idekID", "permissions", "workspace",
	"mfaEnabled", "autofillMfa", "passwordSet", "passwordVisible", "createdBy", "createdAt",
	"updatedAt", "role", "avatar_url", "email", "type", "url", "domain", "meta", "status", "phone",
	"rotatedBy", "rotatedAt", "syncedAt", "hasBackupCode", "rotatedById", "domains", "lastLoginDate",
	"lastLoginUserName", "isEmailManaged", "isPhoneManaged", "originalEmail", "originalPhone",
	"businessId", "mfaTypes", "rotatedByUser", "hasTotpVirtualDevice", "workspacePolicyResult",
	"workspacePolicyCheckDate",
}

var documentedMemberKeys = []string{
	"id", "firstName", "lastName", "email", "status", "role", "isGuest", "createdAt", "updatedAt", "lastActivity", "meta",
}

func TestGenerateIsDeterministic(t *testing.T) {
	size := Size{Accounts: 40, Members: 15, AccessPerMember: 4}
	a, _ := json.Marshal(Generate(7, size))
	b, _ := json.Marshal(Generate(7, size))
	c, _ := json.Marshal(Generate(8, size))
	if string(a) != string(b) {
		t.Fatal("same seed and size gave different workspaces")
	}
	if string(a) == string(c) {
		t.Fatal("different seeds gave the same workspace")
	}
}

func TestGenerateSizesAndAccess(t *testing.T) {
	ws := Generate(1, Size{Accounts: 50, Members: 26, AccessPerMember: 6})
	if err := ws.Validate(); err != nil {
		t.Fatal(err)
	}
	if len(ws.Accounts) != 50 || len(ws.Members) != 26 {
		t.Fatalf("got %d accounts, %d members", len(ws.Accounts), len(ws.Members))
	}
	onlyInIdp := 0
	for _, id := range ws.MemberIDs() {
		m := ws.Member(id)
		if m.Bool(KeyOnlyInIdp) {
			onlyInIdp++
			if len(ws.AccountsOf(id)) != 0 {
				t.Errorf("member %s only in the IdP reaches accounts", id)
			}
			continue
		}
		reached := ws.AccountsOf(id)
		if len(reached) != 6 || len(slices.Compact(slices.Clone(reached))) != 6 {
			t.Errorf("member %s reaches %v, want 6 distinct accounts", id, reached)
		}
	}
	if onlyInIdp == 0 {
		t.Error("no member is only in the IdP")
	}
	if got := Generate(1, Size{Accounts: 3, Members: 2, AccessPerMember: 10}); len(got.AccountsOf(got.MemberIDs()[0])) != 3 {
		t.Error("AccessPerMember beyond the account count should reach every account")
	}
	if empty := Generate(1, Size{}); len(empty.Accounts) != 0 || len(empty.Members) != 0 {
		t.Error("zero size should give an empty workspace")
	}
}

func TestGenerateCoversEveryDocumentedVariant(t *testing.T) {
	ws := Generate(3, Size{Accounts: 60, Members: 30, AccessPerMember: 5})
	seen := map[string]bool{}
	note := func(variant string) { seen[variant] = true }
	timestampShapes := map[string]*regexp.Regexp{
		"plain": regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$`),
		"micro": regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$`),
		"Z":     regexp.MustCompile(`Z$`),
		"+0000": regexp.MustCompile(`\+00:00$`),
	}
	for i := range ws.Accounts {
		a := &ws.Accounts[i]
		for _, f := range a.Fields {
			note("key " + f.Key)
			if string(f.Value) == "null" {
				note("null " + f.Key)
			}
			if !slices.Contains(documentedAccountKeys, f.Key) {
				note("unknown key")
			}
		}
		for _, key := range documentedAccountKeys {
			if _, ok := a.Get(key); !ok {
				note("missing key")
			}
		}
		createdBy, _ := a.Get("createdBy")
		domains, _ := a.Get("domains")
		note("createdBy " + string(createdBy[0]))
		note("domains " + string(domains[0]))
		for shape, re := range timestampShapes {
			if re.MatchString(a.String("createdAt")) {
				note("timestamp " + shape)
			}
		}
		note("provider " + a.String("provider"))
		note("role " + a.String("role"))
		note("status " + a.String("status"))
		note("type " + a.String("type"))
		if !a.Bool("mfaEnabled") {
			note("no MFA")
		}
	}
	for _, id := range ws.MemberIDs() {
		m := ws.Member(id)
		for _, f := range m.Fields {
			note("member key " + f.Key)
		}
		note("member status " + m.String("status"))
		note("member role " + m.String("role"))
		if m.Bool("isGuest") {
			note("guest")
		}
		if lastActivity, _ := m.Get("lastActivity"); string(lastActivity) == "null" {
			note("member null lastActivity")
		}
		if m.String("status") == "disabled" && len(ws.AccountsOf(id)) > 0 {
			note("disabled member with access")
		}
	}

	var want []string
	for _, key := range documentedAccountKeys {
		want = append(want, "key "+key)
	}
	for _, key := range documentedMemberKeys {
		want = append(want, "member key "+key)
	}
	want = append(want,
		`createdBy "`, "createdBy {", `domains "`, "domains {", "domains n",
		"timestamp plain", "timestamp micro", "timestamp Z", "timestamp +0000",
		"null url", "null domain", "null phone", "null rotatedAt", "null syncedAt",
		"null originalEmail", "null originalPhone", "null rotatedByUser",
		"unknown key", "missing key", "no MFA",
		"provider google", "provider instagram", "provider tiktok", "provider facebook",
		"provider linkedin", "provider x", "provider youtube", "provider unmanaged",
		"role owner", "role account_owner", "role account_manager", "role account_collaborator",
		"status enabled", "status disabled", "status pending", "status provision", "status success",
		"type identity", "type resource", "type secret", "type integration",
		"member status live", "member status pending", "member status disabled",
		"member role workspace_owner", "member role workspace_guest_user", "guest",
		"member null lastActivity", "disabled member with access",
	)
	for _, variant := range want {
		if !seen[variant] {
			t.Errorf("no generated data shows %q", variant)
		}
	}
}

func TestGenerateRealisticNames(t *testing.T) {
	ws := Generate(5, Size{Accounts: 9, Members: 3})
	name := regexp.MustCompile(`^[A-Za-z]+ [A-Za-z]+ \d{4}$`)
	for i := range ws.Accounts {
		if n := ws.Accounts[i].String("name"); !name.MatchString(n) {
			t.Errorf("account name %q does not look like \"Brand Instagram 0042\"", n)
		}
	}
	if got := ws.Accounts[1].String("name"); !regexp.MustCompile(`Instagram 0002$`).MatchString(got) {
		t.Errorf("second account is %q, want an Instagram 0002 account", got)
	}
	email := regexp.MustCompile(`^[a-z.]+\d+@example\.com$`)
	for _, id := range ws.MemberIDs() {
		if e := ws.Member(id).String("email"); !email.MatchString(e) {
			t.Errorf("member email %q", e)
		}
	}
}
