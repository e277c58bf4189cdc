package cerbysim

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// Size says how much Generate makes. AccessPerMember is how many accounts each
// workspace member reaches (capped at Accounts).
type Size struct {
	Accounts, Members, AccessPerMember int
}

// The workspace subdomain generated data belongs to.
const generatedWorkspace = "acme-social"

// Generated timestamps start here.
var generatedEpoch = time.Date(2023, 1, 9, 8, 0, 0, 0, time.UTC)

var (
	providers = []struct{ id, label, domain string }{
		{"google", "Google", "google.com"},
		{"instagram", "Instagram", "instagram.com"},
		{"tiktok", "TikTok", "tiktok.com"},
		{"facebook", "Facebook", "facebook.com"},
		{"linkedin", "LinkedIn", "linkedin.com"},
		{"x", "X", "x.com"},
		{"youtube", "YouTube", "youtube.com"},
		{"unmanaged", "Unmanaged", "intranet.example.com"},
	}
	brands          = []string{"Brand", "Marketing", "Support", "Careers", "Events", "Europe", "LatAm", "Product"}
	accountRoles    = []string{"owner", "collaborator", "account_owner", "account_manager", "account_collaborator"}
	itemTypes       = []string{"identity", "resource", "secret", "integration"}
	accountStatuses = []string{"enabled", "enabled", "enabled", "enabled", "enabled", "enabled", "disabled", "pending", "provision", "success"}
	memberStatuses  = []string{"live", "live", "live", "live", "live", "live", "live", "pending", "pending", "disabled"}
	// Admin and User role strings are undocumented; these are plausible guesses
	// that keep clients from treating roles as an enum.
	memberRoles = []string{"workspace_super_admin", "workspace_admin", "workspace_user", "workspace_user", "workspace_login_only", "workspace_guest_admin", "workspace_guest_user"}
	firstNames  = []string{"Ana", "Bruno", "Chen", "Dana", "Emeka", "Fatima", "Goran", "Hana", "Ivan", "Jade", "Kofi", "Lena", "Mateo", "Nora", "Omar", "Priya"}
	lastNames   = []string{"Garcia", "Smith", "Wang", "Okafor", "Novak", "Rossi", "Kim", "Silva", "Haddad", "Muller", "Tanaka", "Brown"}
	mfaTypeSets = [][]string{{"otp"}, {"voip"}, {"email"}, {"otp", "email"}}
)

// Generate builds a realistic workspace, the same one for the same seed and
// size. Every documented account and member field occurs, and every known
// variant of a field (createdBy id or object, domains string/object/null,
// null and zoned or microsecond timestamps, missing and unknown keys) is
// spread across the accounts; sixty accounts and thirty members show them all.
func Generate(seed int64, size Size) *Workspace {
	g := &generator{rng: rand.New(rand.NewPCG(uint64(seed), 0x63657262)), epoch: generatedEpoch}
	ws := &Workspace{Access: map[string][]string{}}
	g.apps = make(map[string]string, len(providers))
	for _, p := range providers {
		g.apps[p.id] = g.uuid()
	}
	g.collections = g.uuids(5)
	g.teams = g.uuids(4)
	for j := range max(size.Members, 0) {
		ws.Members = append(ws.Members, g.member(j))
	}
	for i := range max(size.Accounts, 0) {
		ws.Accounts = append(ws.Accounts, g.account(i, ws.Members))
	}
	for j := range ws.Members {
		if ws.Members[j].Bool(KeyOnlyInIdp) {
			continue
		}
		ws.Access[ws.Members[j].String("id")] = g.pickAccounts(ws.Accounts, size.AccessPerMember)
	}
	ws.CerbyAPI = cerbyExtras(seed, ws)
	cerbyResources(seed, ws, g.teams)
	return ws
}

// cerbyExtras makes what only the Cerby API serves: the account attributes
// the Read API lacks (hasPasskey, lastPasswordChange), members' mfaStatus,
// and attributes left out, since every Cerby API attribute is optional and
// Cerby's own examples carry few of them. It draws from a random stream of
// its own, so the Read API objects, drawn before, are what they always were.
func cerbyExtras(seed int64, ws *Workspace) *CerbyAPIData {
	x := rand.New(rand.NewPCG(uint64(seed), 0x6170692d7631))
	data := &CerbyAPIData{Accounts: make(map[string]CerbyExtras, len(ws.Accounts)), Members: make(map[string]CerbyExtras, len(ws.Members))}
	for i := range ws.Accounts {
		data.Accounts[ws.Accounts[i].String("id")] = cerbyAccountExtras(x)
	}
	for j := range ws.Members {
		if m := &ws.Members[j]; !m.Bool(KeyOnlyInIdp) {
			data.Members[m.String("id")] = cerbyMemberExtras(x, m.String("status"))
		}
	}
	mfaVariants(ws, data)
	return data
}

// mfaVariants makes sure of two variants whatever the seed: a live member
// who has not enrolled MFA (the last live one, when the draw gave none),
// and a member whose mfaStatus is null even when asked for (the first
// pending one).
func mfaVariants(ws *Workspace, data *CerbyAPIData) {
	var lastLive string
	enrolledAll := true
	pendingDone := false
	for j := range ws.Members {
		m := &ws.Members[j]
		x, ok := data.Members[m.String("id")]
		if !ok {
			continue
		}
		switch m.String("status") {
		case "live":
			lastLive = m.String("id")
			var mfa struct{ MFAEnabled bool }
			raw, _ := x.Attributes.Get(keyMFAStatus)
			if json.Unmarshal(raw, &mfa) == nil && !mfa.MFAEnabled {
				enrolledAll = false
			}
		case "pending":
			if !pendingDone {
				x.Attributes.SetRaw(keyMFAStatus, json.RawMessage("null"))
				data.Members[m.String("id")] = x
				pendingDone = true
			}
		}
	}
	if enrolledAll && lastLive != "" {
		x := data.Members[lastLive]
		_ = x.Attributes.Set(keyMFAStatus, map[string]any{"mfaEnabled": false, "mfaEnrollmentDate": nil})
		data.Members[lastLive] = x
	}
}

// cerbyExampleAccountAttributes are the attributes Cerby's own account
// examples carry; a few generated accounts carry only those.
var cerbyExampleAccountAttributes = []string{"application", "createdAt", "createdBy", "label", "lastLoginDate", "updatedAt", "workspace"}

// cerbyGeneratedAccountAttributes are every attribute a generated account can
// have on the Cerby API, the ones to leave out are drawn from.
var cerbyGeneratedAccountAttributes = func() []string {
	names := []string{"hasPasskey", "lastPasswordChange"}
	for _, m := range cerbyAccountMap {
		names = append(names, m.to)
	}
	return names
}()

func cerbyAccountExtras(x *rand.Rand) CerbyExtras {
	var b builder
	b.add("hasPasskey", x.IntN(4) == 0)
	var changed any
	if x.IntN(8) != 0 {
		changed = cerbyTimestamp(generatedEpoch.Add(time.Duration(x.IntN(20_000))*time.Hour+time.Duration(x.IntN(3600_000_000))*time.Microsecond), x.IntN(2) == 0)
	}
	b.add("lastPasswordChange", changed)
	extras := CerbyExtras{Attributes: b.Object}
	switch x.IntN(10) {
	case 0: // as in Cerby's examples
		for _, name := range cerbyGeneratedAccountAttributes {
			if !slices.Contains(cerbyExampleAccountAttributes, name) {
				extras.Omit = append(extras.Omit, name)
			}
		}
	case 1: // one to three attributes missing
		for _, k := range x.Perm(len(cerbyGeneratedAccountAttributes))[:1+x.IntN(3)] {
			extras.Omit = append(extras.Omit, cerbyGeneratedAccountAttributes[k])
		}
	}
	return extras
}

func cerbyMemberExtras(x *rand.Rand, status string) CerbyExtras {
	enabled := status != "pending" && x.IntN(3) != 0
	var enrolled any
	if enabled {
		enrolled = cerbyTimestamp(generatedEpoch.Add(time.Duration(x.IntN(20_000))*time.Hour), false)
	}
	var b builder
	b.add(keyMFAStatus, map[string]any{"mfaEnabled": enabled, "mfaEnrollmentDate": enrolled})
	extras := CerbyExtras{Attributes: b.Object}
	if x.IntN(2) == 0 {
		// Cerby's newest schema has no lastActivity; its older one had.
		extras.Omit = append(extras.Omit, "lastActivity")
	}
	if x.IntN(10) == 0 {
		extras.Omit = append(extras.Omit, cerbyUserMap[x.IntN(len(cerbyUserMap))].to)
	}
	return extras
}

// cerbyTimestamp formats t as the Cerby API does, "+00:00" offset, with or
// without microseconds.
func cerbyTimestamp(t time.Time, micro bool) string {
	if micro {
		return t.UTC().Format("2006-01-02T15:04:05.000000-07:00")
	}
	return t.UTC().Format("2006-01-02T15:04:05-07:00")
}

type generator struct {
	rng                *rand.Rand
	epoch              time.Time
	apps               map[string]string
	collections, teams []string
}

func (g *generator) uuid() string {
	var b [16]byte
	for i := range b {
		b[i] = byte(g.rng.Uint32())
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

func (g *generator) uuids(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = g.uuid()
	}
	return ids
}

// timestamp formats t in one of the shapes the API sends, chosen by variant.
func timestamp(t time.Time, variant int) string {
	switch variant % 4 {
	case 1:
		return t.Format("2006-01-02T15:04:05.000000")
	case 2:
		return t.Format("2006-01-02T15:04:05Z")
	case 3:
		return t.Format("2006-01-02T15:04:05+00:00")
	default:
		return t.Format("2006-01-02T15:04:05")
	}
}

// at returns a time after the epoch, with microseconds so the microsecond
// form never looks like zero padding.
func (g *generator) at(hours int) time.Time {
	return g.epoch.Add(time.Duration(hours)*time.Hour + time.Duration(g.rng.IntN(3600_000_000))*time.Microsecond)
}

func (g *generator) member(j int) Object {
	first, last := firstNames[g.rng.IntN(len(firstNames))], lastNames[g.rng.IntN(len(lastNames))]
	role := memberRoles[j%len(memberRoles)]
	if j == 0 {
		role = "workspace_owner"
	}
	status := memberStatuses[j%len(memberStatuses)]
	created := g.at(j * 7)
	var lastActivity any
	if status != "pending" {
		lastActivity = timestamp(created.Add(time.Duration(24+g.rng.IntN(9000))*time.Hour), j+1)
	}
	var b builder
	b.add("id", g.uuid())
	b.add("firstName", first)
	b.add("lastName", last)
	b.add("email", fmt.Sprintf("%s.%s%d@example.com", strings.ToLower(first), strings.ToLower(last), j+1))
	b.add("status", status)
	b.add("role", role)
	b.add("isGuest", strings.HasPrefix(role, "workspace_guest"))
	b.add("createdAt", timestamp(created, j))
	b.add("updatedAt", timestamp(created.Add(time.Duration(g.rng.IntN(5000))*time.Hour), j+2))
	b.add("lastActivity", lastActivity)
	if j%3 == 0 {
		b.add("meta", map[string]any{"department": brands[j%len(brands)], "idpGroups": []string{"social-media"}})
	} else {
		b.add("meta", map[string]any{})
	}
	if j%13 == 12 {
		b.add(KeyOnlyInIdp, true)
	}
	return b.Object
}

func (g *generator) account(i int, members []Object) Object {
	p := providers[i%len(providers)]
	brand := brands[g.rng.IntN(len(brands))]
	number := fmt.Sprintf("%04d", i+1)
	mfa := i%5 != 0
	created := g.at(i * 3)
	updated := created.Add(time.Duration(1+g.rng.IntN(4000)) * time.Hour)
	emailManaged, phoneManaged := i%3 == 1, i%4 == 1

	b := builder{Object{Fields: make([]Field, 0, 48)}}
	b.add("id", g.uuid())
	b.add("name", fmt.Sprintf("%s %s %s", brand, p.label, number))
	b.add("username", fmt.Sprintf("%s.%s.%s", strings.ToLower(brand), p.id, number))
	b.add("provider", p.id)
	b.add("vaultId", g.uuid())
	b.add("idekID", g.uuid())
	b.add("permissions", [][]string{{"read"}, {"read", "write"}, {}}[i%3])
	b.add("workspace", generatedWorkspace)
	b.add("mfaEnabled", mfa)
	b.add("autofillMfa", mfa && i%2 == 0)
	b.add("passwordSet", i%9 != 0)
	b.add("passwordVisible", i%3 == 0)
	b.add("createdBy", g.creator(i, members))
	b.add("createdAt", timestamp(created, i))
	b.add("updatedAt", timestamp(updated, i+1))
	b.add("role", accountRoles[i%len(accountRoles)])
	b.add("avatar_url", "https://cdn.example.com/avatars/"+p.id+".png")
	b.add("email", fmt.Sprintf("social+%s.%s@example.com", p.id, number))
	b.add("type", itemTypes[i%len(itemTypes)])
	b.add("url", nullUnless(i%6 != 5, "https://www."+p.domain+"/"))
	b.add("domain", nullUnless(i%6 != 5, p.domain))
	b.add("meta", g.meta(i, brand))
	b.add("status", accountStatuses[i%len(accountStatuses)])
	b.add("phone", nullUnless(i%3 != 0, fmt.Sprintf("+1 555 01%02d", i%100)))
	b.add("rotatedBy", []string{"manual_rotation", "automated_rotation"}[i%2])
	b.add("rotatedAt", nullUnless(i%4 != 3, timestamp(updated, i+2)))
	b.add("syncedAt", nullUnless(i%5 != 4, timestamp(updated.Add(time.Hour), i+3)))
	b.add("hasBackupCode", i%4 == 0)
	b.add("rotatedById", g.uuid())
	b.add("domains", g.domains(i, p.domain))
	b.add("lastLoginDate", timestamp(updated.Add(-time.Duration(g.rng.IntN(48))*time.Hour), i+3))
	b.add("lastLoginUserName", fmt.Sprintf("%s %s", firstNames[i%len(firstNames)], lastNames[i%len(lastNames)]))
	b.add("isEmailManaged", emailManaged)
	b.add("isPhoneManaged", phoneManaged)
	b.add("originalEmail", nullUnless(emailManaged, fmt.Sprintf("%s.%s@agency.example.org", strings.ToLower(brand), number)))
	b.add("originalPhone", nullUnless(phoneManaged, fmt.Sprintf("+44 20 7946 %04d", i%10000)))
	b.add("businessId", []string{"", "", fmt.Sprintf("biz-%06d", g.rng.IntN(1e6))}[i%3])
	b.add("mfaTypes", g.mfaTypes(mfa))
	b.add("rotatedByUser", nullUnless(i%2 == 0, fmt.Sprintf("%s %s", firstNames[(i+3)%len(firstNames)], lastNames[(i+5)%len(lastNames)])))
	b.add("hasTotpVirtualDevice", mfa && i%3 == 0)
	b.add("workspacePolicyResult", map[string]bool{"mfa_validation": mfa, "password_rotation": i%4 != 3})
	b.add("workspacePolicyCheckDate", timestamp(updated, i+2))
	b.add(KeyAppID, g.apps[p.id])
	b.add(KeyCollectionIDs, g.subset(g.collections, i%3))
	b.add(KeyTeamIDs, g.subset(g.teams, (i+1)%3))
	if i%7 == 3 {
		b.add("legacyFlags", map[string]any{"beta": true, "source": "import"})
	}
	if i%11 == 10 {
		// Real responses sometimes leave fields out altogether.
		b.Delete("phone")
		b.Delete("meta")
	}
	return b.Object
}

// creator alternates the two documented createdBy shapes.
func (g *generator) creator(i int, members []Object) any {
	var m *Object
	if len(members) > 0 {
		m = &members[g.rng.IntN(len(members))]
	}
	id := g.uuid()
	if m != nil {
		id = m.String("id")
	}
	if i%2 == 0 || m == nil {
		return id
	}
	var b builder
	b.add("id", id)
	b.add("firstName", m.String("firstName"))
	b.add("lastName", m.String("lastName"))
	b.add("email", m.String("email"))
	b.add("idpUid", nullUnless(i%4 == 1, "okta|"+id[:8]))
	b.add("lastUsed", m.String("updatedAt"))
	b.add("createdAt", m.String("createdAt"))
	b.add("workspace", generatedWorkspace)
	return b.Object
}

// domains alternates the string, object and null shapes.
func (g *generator) domains(i int, domain string) any {
	switch i % 3 {
	case 0:
		return domain
	case 1:
		return map[string]any{
			"id": g.uuid(),
			"allowedDomains": []map[string]any{
				{"domain": domain, "subdomain": "www", "hostname": "www." + domain, "path": "/", "url": "https://www." + domain + "/", "isMainDomain": true},
				{"domain": domain, "subdomain": "accounts", "hostname": "accounts." + domain, "path": "/login", "url": "https://accounts." + domain + "/login", "isMainDomain": false},
			},
		}
	default:
		return nil
	}
}

func (g *generator) meta(i int, brand string) any {
	if i%2 == 0 {
		return map[string]any{}
	}
	return map[string]any{"team": brand, "tags": []string{"social", strings.ToLower(brand)}, "followers": g.rng.IntN(2_000_000)}
}

func (g *generator) mfaTypes(mfa bool) []string {
	if !mfa {
		return []string{}
	}
	return mfaTypeSets[g.rng.IntN(len(mfaTypeSets))]
}

// subset picks n distinct ids from pool, in pool order.
func (g *generator) subset(pool []string, n int) []string {
	indexes := g.rng.Perm(len(pool))[:min(n, len(pool))]
	slices.Sort(indexes)
	picked := make([]string, len(indexes))
	for k, index := range indexes {
		picked[k] = pool[index]
	}
	return picked
}

// pickAccounts chooses n distinct accounts in workspace order. Rejection
// sampling keeps it cheap for large workspaces where n is small.
func (g *generator) pickAccounts(accounts []Object, n int) []string {
	n = min(max(n, 0), len(accounts))
	chosen := make(map[int]bool, n)
	for len(chosen) < n {
		chosen[g.rng.IntN(len(accounts))] = true
	}
	indexes := make([]int, 0, n)
	for k := range chosen {
		indexes = append(indexes, k)
	}
	slices.Sort(indexes)
	ids := make([]string, n)
	for k, index := range indexes {
		ids[k] = accounts[index].String("id")
	}
	return ids
}

// nullUnless is value when present is true and JSON null otherwise.
func nullUnless(present bool, value string) any {
	if present {
		return value
	}
	return nil
}

// builder appends generator values to an Object. Those values are strings,
// bools, numbers, nil, Objects and maps or slices of them, which json.Marshal
// always encodes, so the error is impossible and dropped.
type builder struct{ Object }

func (b *builder) add(key string, value any) {
	raw, _ := json.Marshal(value)
	b.Fields = append(b.Fields, Field{Key: key, Value: raw})
}
