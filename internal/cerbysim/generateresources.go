package cerbysim

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// The teams, vaults and integrations of a generated workspace. They are
// drawn from a random stream of their own, so everything generated before
// them is what it always was.

// generatedWorkspaceID is the workspaceId of generated teams and vaults.
const generatedWorkspaceID = "6f1c2a9e-4b7d-4e0a-9c35-ac3e50c1a100"

// The values of the enumerated attributes.
var (
	teamTypes    = []string{"scim_managed", "user_managed"}
	vaultSchemes = []string{"local_encryption_key", "kms_byo", "akv"}
)

// The shapes an integration seat's entitlements are served in
// (contract/cerby-api.md §4, decision C24 of the spec).
const (
	entitlementsAsResources = iota // {"id", "type": "entitlement", "attributes": {group, key, label, value}}
	entitlementsAsObjects          // {group, key, label, value}
	entitlementsAsKeys             // "KEY"
)

// entitlement is one entitlement of an application; value is any JSON
// scalar.
type entitlement struct {
	key, label, group string
	value             any
}

// integrationSpecs are the generated integrations: an application of the
// business hub (a *_tenant one), its entitlements, and the dynamic fields
// its seats carry.
var integrationSpecs = []struct {
	label, application string
	shape              int
	catalog            []entitlement
	dynamic            func(x *generator, k int) map[string]any
}{
	{"YouTube Brand Channel", "youtube_tenant", entitlementsAsResources, []entitlement{
		{"OWNER", "YOUTUBE_TENANT_OWNER_DESC", "primary", "owner"},
		{"EDITOR", "YOUTUBE_TENANT_EDITOR_DESC", "primary", "editor"},
		{"VIEWER_LIMITED", "", "secondary", true},
	}, func(x *generator, k int) map[string]any {
		return map[string]any{"channelId": "UC" + strings.ReplaceAll(x.uuid(), "-", "")[:22], "subscribers": x.rng.IntN(5_000_000), "verified": k%2 == 0}
	}},
	{"Discord Community", "discord_tenant", entitlementsAsObjects, []entitlement{
		{"ADMINISTRATOR", "DISCORD_TENANT_ADMINISTRATOR_DESC", "primary", "administrator"},
		{"MODERATOR", "", "primary", "moderator"},
		{"LEVEL", "DISCORD_TENANT_LEVEL_DESC", "secondary", 3},
	}, func(x *generator, k int) map[string]any {
		return map[string]any{"nickname": fmt.Sprintf("member-%03d", k+1), "level": 1 + x.rng.IntN(5), "boosting": k%3 == 0}
	}},
	{"Google Ads", "google_ads_tenant", entitlementsAsKeys, []entitlement{
		{"STANDARD", "GOOGLE_ADS_TENANT_STANDARD_DESC", "primary", "standard"},
		{"READ_ONLY", "", "secondary", false},
	}, func(x *generator, _ int) map[string]any {
		return map[string]any{"customerId": fmt.Sprintf("%03d-%03d-%04d", x.rng.IntN(1000), x.rng.IntN(1000), x.rng.IntN(10000)), "manager": x.rng.IntN(2) == 0}
	}},
}

// cerbyResources adds the teams, vaults and integrations to a generated
// workspace: six teams of both types (the first four are the teams the
// accounts' teamIds name, with those accounts; one has members but no
// accounts, one nobody), every shape of team member id; four vaults of the
// three schemes, one of them local_encryption_key; three integrations whose
// seats carry entitlements in each of their three shapes and dynamic
// fields, a disabled member holding a seat when there is one.
func cerbyResources(seed int64, ws *Workspace, teamIDs []string) {
	x := &generator{rng: rand.New(rand.NewPCG(uint64(seed), 0x7465616d73)), epoch: generatedEpoch}
	var users []*Object
	for j := range ws.Members {
		if !ws.Members[j].Bool(KeyOnlyInIdp) {
			users = append(users, &ws.Members[j])
		}
	}
	var owner any
	if len(users) > 0 {
		owner = users[0].String("id")
	}

	ws.Vaults = []CerbyResource{
		x.vaultResource(x.uuid(), "Workspace vault", "local_encryption_key", "enabled", "system", nil, 0, 0),
		x.vaultResource(x.uuid(), "AWS KMS us-east-1", "kms_byo", "enabled", "user", owner, 200, 1),
		x.vaultResource(x.uuid(), "Azure Key Vault EU", "akv", "enabled", "user", owner, 900, 2),
		x.vaultResource(x.uuid(), "AWS KMS legacy", "kms_byo", "disabled", "user", owner, 40, 3),
	}
	ws.Vaults[3].Omit = []string{"updatedAt"}

	teams := []struct {
		name, kind, shape string
		vault             any // a vault id, nil for null; vaultId is left out on the last three
		members           int // -1: every user
	}{
		{"All staff", "scim_managed", "", ws.Vaults[1].ID, -1},
		{"Social media", "user_managed", TeamMemberIDSnake, nil, 3 + x.rng.IntN(6)},
		{"Brand EMEA", "scim_managed", TeamMemberIDResourceID, ws.Vaults[2].ID, 3 + x.rng.IntN(6)},
		{"Agency partners", "user_managed", "", nil, 3 + x.rng.IntN(6)},
		{"Support desk", "user_managed", "", nil, 2 + x.rng.IntN(4)},
		{"Contractors", "scim_managed", "", nil, 0},
	}
	for i, spec := range teams {
		id := x.uuid()
		if i < len(teamIDs) {
			id = teamIDs[i]
		}
		team := Team{CerbyResource: CerbyResource{ID: id, Attributes: x.teamAttributes(spec.name, spec.kind, spec.vault, i < 3, i*50, i)}, MemberIDAs: spec.shape}
		picked := users
		if spec.members >= 0 {
			picked = x.pick(users, spec.members)
		}
		for k, u := range picked {
			m := TeamMember{ID: u.String("id"), Role: "member"}
			if k == 0 {
				m.Role = "admin"
			}
			if i == 3 && k == 1 {
				m.MemberIDAs = TeamMemberIDSnake // a listing that mixes two shapes
			}
			if i == 3 && k == 2 {
				m.Omit = []string{"role"}
			}
			team.Members = append(team.Members, m)
		}
		if i < len(teamIDs) {
			for a := range ws.Accounts {
				if slices.Contains(ws.Accounts[a].Strings(KeyTeamIDs), id) {
					team.Accounts = append(team.Accounts, ws.Accounts[a].String("id"))
				}
			}
		}
		ws.Teams = append(ws.Teams, team)
	}

	var disabled *Object
	for _, u := range users {
		if u.String("status") == "disabled" {
			disabled = u
			break
		}
	}
	for i, spec := range integrationSpecs {
		n := Integration{CerbyResource: x.integrationResource(x.uuid(), spec.label, spec.application, owner, 300+i*100, i)}
		seated := x.pick(users, 4+x.rng.IntN(6))
		if i == 0 && disabled != nil && !slices.Contains(seated, disabled) {
			seated = append(seated, disabled)
		}
		for k, u := range seated {
			role := "collaborator"
			if k == 0 {
				role = "owner"
			}
			var granted []entitlement
			if k%5 != 4 { // else an empty list
				for _, e := range x.rng.Perm(len(spec.catalog))[:1+x.rng.IntN(2)] {
					granted = append(granted, spec.catalog[e])
				}
			}
			var dynamic map[string]any
			if k%4 != 3 { // else no meta at all
				dynamic = spec.dynamic(x, k)
			}
			seat := x.seatFor(u, role, granted, spec.shape, dynamic, i > 0, k)
			if i == 2 && k == 1 {
				seat.Omit = []string{"entitlements"}
			}
			n.Users = append(n.Users, seat)
		}
		ws.Integrations = append(ws.Integrations, n)
	}
}

// pick chooses n distinct items (all when fewer), in their order.
func (g *generator) pick(items []*Object, n int) []*Object {
	indexes := g.rng.Perm(len(items))[:min(max(n, 0), len(items))]
	slices.Sort(indexes)
	picked := make([]*Object, len(indexes))
	for k, index := range indexes {
		picked[k] = items[index]
	}
	return picked
}

// resourceTimestamp formats t in one of the shapes the Cerby API is seen to
// send, chosen by variant: "+00:00" with and without microseconds, no zone
// with and without, and "Z".
func resourceTimestamp(t time.Time, variant int) string {
	switch variant % 5 {
	case 0:
		return cerbyTimestamp(t, true)
	case 1:
		return t.UTC().Format("2006-01-02T15:04:05")
	case 2:
		return cerbyTimestamp(t, false)
	case 3:
		return t.UTC().Format("2006-01-02T15:04:05.000000")
	default:
		return t.UTC().Format("2006-01-02T15:04:05Z")
	}
}

// created and updated are a resource's two timestamps, hours after the
// epoch, in the variant's shape.
func (g *generator) created(b *builder, hours, variant int) {
	at := g.at(hours)
	b.add("createdAt", resourceTimestamp(at, variant))
	b.add("updatedAt", resourceTimestamp(at.Add(time.Duration(1+g.rng.IntN(3000))*time.Hour), variant+1))
}

// teamAttributes are a team's; vaultId (A0 only) is there when withVault.
func (g *generator) teamAttributes(name, kind string, vaultID any, withVault bool, hours, variant int) Object {
	var b builder
	b.add("name", name)
	b.add("type", kind)
	b.add("workspaceId", generatedWorkspaceID)
	if withVault {
		b.add("vaultId", vaultID)
	}
	g.created(&b, hours, variant)
	return b.Object
}

func (g *generator) vaultResource(id, name, scheme, state, createdByType string, createdBy any, hours, variant int) CerbyResource {
	var b builder
	b.add("name", name)
	b.add("scheme", scheme)
	b.add("state", state)
	b.add("createdByType", createdByType)
	b.add("createdBy", createdBy)
	b.add("workspaceId", generatedWorkspaceID)
	g.created(&b, hours, variant)
	return CerbyResource{ID: id, Attributes: b.Object}
}

func (g *generator) integrationResource(id, label, application string, createdBy any, hours, variant int) CerbyResource {
	var b builder
	b.add("label", label)
	b.add("application", application)
	b.add("workspace", generatedWorkspace)
	at := g.at(hours)
	b.add("createdAt", resourceTimestamp(at, variant))
	b.add("createdBy", createdBy)
	b.add("updatedAt", resourceTimestamp(at.Add(time.Duration(1+g.rng.IntN(3000))*time.Hour), variant+1))
	return CerbyResource{ID: id, Attributes: b.Object}
}

// seatFor is member's seat on an integration, its entitlements in shape;
// createdAt and updatedAt (A0 only) when withTimes; meta.dynamicFields
// unless dynamic is nil.
func (g *generator) seatFor(member *Object, role string, granted []entitlement, shape int, dynamic map[string]any, withTimes bool, variant int) IntegrationUser {
	var b builder
	for _, key := range []string{"firstName", "lastName", "email", "status", "isGuest"} {
		if raw, ok := member.Get(key); ok {
			b.SetRaw(key, raw)
		}
	}
	b.add("role", role)
	if withTimes {
		g.created(&b, variant*11, variant)
	}
	entitlements := make([]any, len(granted))
	for k, e := range granted {
		flat := map[string]any{"group": e.group, "key": e.key, "label": e.label, "value": e.value}
		switch shape {
		case entitlementsAsResources:
			entitlements[k] = map[string]any{"id": e.key, "type": "entitlement", "attributes": flat}
		case entitlementsAsObjects:
			entitlements[k] = flat
		default:
			entitlements[k] = e.key
		}
	}
	b.add("entitlements", entitlements)
	seat := IntegrationUser{CerbyResource: CerbyResource{ID: member.String("id"), Attributes: b.Object}}
	if dynamic != nil {
		seat.Meta, _ = json.Marshal(map[string]any{"dynamicFields": dynamic})
	}
	return seat
}

// The items the between-pages faults insert, numbered n.

func (g *generator) team(n int) Team {
	return Team{CerbyResource: CerbyResource{ID: g.uuid(), Attributes: g.teamAttributes(fmt.Sprintf("Team %04d", n), teamTypes[n%2], nil, false, n, n)}}
}

func (g *generator) vault(n int) CerbyResource {
	return g.vaultResource(g.uuid(), fmt.Sprintf("Vault %04d", n), vaultSchemes[n%len(vaultSchemes)], "enabled", "user", nil, n, n)
}

func (g *generator) integration(n int) Integration {
	spec := integrationSpecs[n%len(integrationSpecs)]
	return Integration{CerbyResource: g.integrationResource(g.uuid(), fmt.Sprintf("%s %04d", spec.label, n), spec.application, nil, n, n)}
}

func (g *generator) seat(n int) IntegrationUser {
	member := g.member(n)
	return g.seatFor(&member, "collaborator", nil, entitlementsAsObjects, nil, false, n)
}
