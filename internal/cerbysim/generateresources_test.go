package cerbysim

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestGenerateTeamsVaultsIntegrations(t *testing.T) {
	ws := Generate(3, Size{Accounts: 60, Members: 30, AccessPerMember: 5})
	if err := ws.Validate(); err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(ws)
	b, _ := json.Marshal(Generate(3, Size{Accounts: 60, Members: 30, AccessPerMember: 5}))
	if string(a) != string(b) {
		t.Fatal("same seed and size gave different teams, vaults or integrations")
	}
	seen := map[string]bool{}
	shapes := map[string]*regexp.Regexp{
		"+00:00": regexp.MustCompile(`^"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00"$`),
		"naive":  regexp.MustCompile(`^"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?"$`),
		"Z":      regexp.MustCompile(`^"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"$`),
	}
	timestamps := func(attrs Object) {
		for _, key := range []string{"createdAt", "updatedAt"} {
			raw, ok := attrs.Get(key)
			if !ok {
				continue
			}
			for shape, re := range shapes {
				if re.Match(raw) {
					seen["timestamp "+shape] = true
				}
			}
		}
	}

	for _, team := range ws.Teams {
		seen["team "+team.Attributes.String("type")] = true
		timestamps(team.Attributes)
		if len(team.Members) > 0 {
			seen["team with members"] = true
		}
		if len(team.Accounts) > 0 {
			seen["team with accounts"] = true
		}
		if len(team.Members) > 0 && len(team.Accounts) == 0 {
			seen["team with members, no accounts"] = true
		}
		if len(team.Members) == 0 && len(team.Accounts) == 0 {
			seen["empty team"] = true
		}
		if _, ok := team.Attributes.Get("vaultId"); !ok {
			seen["team without vaultId"] = true
		}
		for _, m := range team.Members {
			shape := m.MemberIDAs
			if shape == "" {
				shape = team.MemberIDAs
			}
			seen["member id as "+shape] = true
		}
		// The team's accounts are those whose Read API teamIds name it.
		for _, id := range team.Accounts {
			if !slices.Contains(ws.Account(id).Strings(KeyTeamIDs), team.ID) {
				t.Errorf("team %s lists account %s whose teamIds do not name it", team.ID, id)
			}
		}
	}
	for _, v := range ws.Vaults {
		seen["vault "+v.Attributes.String("scheme")] = true
		timestamps(v.Attributes)
	}
	users := map[string]*Object{}
	for j := range ws.Members {
		users[ws.Members[j].String("id")] = &ws.Members[j]
	}
	for _, n := range ws.Integrations {
		if app := n.Attributes.String("application"); !strings.HasSuffix(app, "_tenant") {
			t.Errorf("integration %s application %q", n.ID, app)
		}
		timestamps(n.Attributes)
		for _, u := range n.Users {
			if m := users[u.ID]; m == nil || m.String("email") != u.Attributes.String("email") {
				t.Errorf("seat %s is not a member's", u.ID)
			} else if m.String("status") == "disabled" {
				seen["disabled member seated"] = true
			}
			seen["seat "+u.Attributes.String("role")] = true
			if len(u.Meta) > 0 && strings.Contains(string(u.Meta), `"dynamicFields":{`) {
				seen["dynamicFields"] = true
			} else {
				seen["no meta"] = true
			}
			var entitlements []json.RawMessage
			served := servedAttributes(u.Attributes, u.Omit)
			raw, ok := served.Get("entitlements")
			if !ok {
				seen["entitlements left out"] = true
			}
			_ = json.Unmarshal(raw, &entitlements)
			if ok && len(entitlements) == 0 {
				seen["no entitlement"] = true
			}
			for _, e := range entitlements {
				switch {
				case strings.HasPrefix(string(e), `"`):
					seen["entitlement as a key"] = true
				case strings.Contains(string(e), `"attributes"`):
					seen["entitlement as a resource"] = true
				default:
					seen["entitlement as an object"] = true
				}
			}
		}
	}
	live, enrolled := 0, 0
	for _, id := range ws.MemberIDs() {
		attrs, _ := ws.CerbyAPIUser(id, true)
		raw, _ := attrs.Get("mfaStatus")
		if string(raw) == "null" {
			seen["mfaStatus null"] = true
		}
		if ws.Member(id).String("status") == "live" && !ws.Member(id).Bool(KeyOnlyInIdp) {
			live++
			if strings.Contains(string(raw), `"mfaEnabled":true`) {
				enrolled++
			}
		}
	}
	if enrolled*2 <= live || enrolled == live {
		t.Errorf("%d of %d live members enrolled: want most, not all", enrolled, live)
	}
	for _, variant := range []string{
		"team scim_managed", "team user_managed", "team with members", "team with accounts", "team with members, no accounts",
		"empty team", "team without vaultId", "member id as ", "member id as member_id", "member id as id",
		"vault local_encryption_key", "vault kms_byo", "vault akv", "timestamp +00:00", "timestamp naive", "timestamp Z",
		"disabled member seated", "seat owner", "seat collaborator", "dynamicFields", "no meta", "entitlements left out", "no entitlement",
		"entitlement as a key", "entitlement as a resource", "entitlement as an object", "mfaStatus null",
	} {
		if !seen[variant] {
			t.Errorf("no generated data shows %q", variant)
		}
	}
}

// TestGenerateMFAVariantsAnySize: a live member without MFA, whatever the
// draw, in the smallest workspaces too.
func TestGenerateMFAVariantsAnySize(t *testing.T) {
	for seed := range int64(20) {
		ws := Generate(seed, Size{Accounts: 1, Members: 3})
		unenrolled := false
		for _, id := range ws.MemberIDs() {
			attrs, _ := ws.CerbyAPIUser(id, true)
			raw, _ := attrs.Get("mfaStatus")
			if ws.Member(id).String("status") == "live" && strings.Contains(string(raw), `"mfaEnabled":false`) {
				unenrolled = true
			}
		}
		if !unenrolled {
			t.Errorf("seed %d: every live member has MFA", seed)
		}
		if err := ws.Validate(); err != nil {
			t.Errorf("seed %d: %v", seed, err)
		}
	}
	if empty := Generate(1, Size{}); len(empty.Teams) == 0 || len(empty.Vaults) == 0 || empty.Validate() != nil {
		t.Error("an empty workspace still has its teams and vaults")
	}
}
