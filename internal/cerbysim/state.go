package cerbysim

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
)

// accountEntry is an account encoded once, with what the filters need. Its
// Cerby API form is encoded when first served, so a large workspace starts
// as fast as before and a Read API run pays nothing for it.
type accountEntry struct {
	id, provider, status, itemType, role, appID string
	search                                      string // lower-cased name, username and email
	collections, teams                          []string
	body                                        []byte
	extras                                      *CerbyExtras
	cerby                                       lazyBody
}

// memberEntry is a member encoded once, with what the filters need, and its
// Cerby API forms, without and with mfaStatus, encoded when first served.
type memberEntry struct {
	id, status           string
	search               string // lower-cased names and email
	guest                bool
	onlyInIdp            bool
	body                 []byte
	extras               *CerbyExtras
	cerbyPlain, cerbyMFA lazyBody
}

type entry interface {
	key() string
	encoded() []byte
}

func (e *accountEntry) key() string     { return e.id }
func (e *accountEntry) encoded() []byte { return e.body }
func (e *memberEntry) key() string      { return e.id }
func (e *memberEntry) encoded() []byte  { return e.body }

// owned reports whether the Read API's caller, who stands for the Cerby API
// key's owner, holds the Owner role on the account.
func (e *accountEntry) owned() bool { return e.role == "owner" || e.role == "account_owner" }

// cerbyEncoded is the account as a Cerby API resource.
func (e *accountEntry) cerbyEncoded() []byte {
	return e.cerby.get(func() []byte {
		legacy := decodedBody(e.body)
		return cerbyResource(e.id, "account", cerbyAccountAttributes(&legacy, e.extras), nil)
	})
}

// cerbyEncoded is the member as a Cerby API resource, with mfaStatus filled
// when withMFA.
func (e *memberEntry) cerbyEncoded(withMFA bool) []byte {
	lazy := &e.cerbyPlain
	if withMFA {
		lazy = &e.cerbyMFA
	}
	return lazy.get(func() []byte {
		legacy := decodedBody(e.body)
		return cerbyResource(e.id, "user", cerbyUserAttributes(&legacy, e.extras, withMFA), nil)
	})
}

// decodedBody reads back an object the state encoded itself, so it decodes.
func decodedBody(body []byte) Object {
	var o Object
	_ = o.UnmarshalJSON(body)
	return o
}

// lazyBody is an encoding made once, when first needed.
type lazyBody struct {
	once sync.Once
	body []byte
}

func (l *lazyBody) get(encode func() []byte) []byte {
	l.once.Do(func() { l.body = encode() })
	return l.body
}

// collection is an ordered list with an id index. The list is replaced, never
// written in place, so a listing can keep reading a slice it took under the
// lock while a fault changes the collection.
type collection[T entry] struct {
	list []T
	byID map[string]T
}

func (c *collection[T]) add(e T) {
	c.list = append(c.list, e)
	c.byID[e.key()] = e
}

// change inserts new items at the front (so later pages repeat items) then
// removes from the front (so later pages skip items).
func (c *collection[T]) change(insert, remove int, newItem func() T) {
	for range insert {
		e := newItem()
		c.list = append([]T{e}, c.list...)
		c.byID[e.key()] = e
	}
	removed := c.list[:min(remove, len(c.list))]
	for _, e := range removed {
		delete(c.byID, e.key())
	}
	c.list = c.list[len(removed):]
}

func (c *collection[T]) ids() []string {
	ids := make([]string, len(c.list))
	for i, e := range c.list {
		ids[i] = e.key()
	}
	return ids
}

// state is the live data of a Server.
type state struct {
	mu       sync.RWMutex
	accounts collection[*accountEntry]
	members  collection[*memberEntry]
	access   map[string][]string
	// What only the Cerby API serves.
	teams        collection[*teamEntry]
	vaults       collection[*resourceEntry]
	integrations collection[*integrationEntry]
	gen          *generator // makes the items InsertBetweenPages adds
	made         int        // items made so far, to number new ones
}

func newState(ws *Workspace, seed int64) (*state, error) {
	if err := ws.Validate(); err != nil {
		return nil, err
	}
	st := &state{
		accounts: collection[*accountEntry]{byID: make(map[string]*accountEntry, len(ws.Accounts))},
		members:  collection[*memberEntry]{byID: make(map[string]*memberEntry, len(ws.Members))},
		access:   make(map[string][]string, len(ws.Access)),
		gen:      &generator{rng: rand.New(rand.NewPCG(uint64(seed), 0x696e73)), epoch: generatedEpoch},
		made:     len(ws.Accounts) + len(ws.Members),
	}
	for i := range ws.Accounts {
		entry, err := newAccountEntry(&ws.Accounts[i])
		if err != nil {
			return nil, fmt.Errorf("accounts[%d]: %w", i, err)
		}
		entry.extras = ws.cerbyExtras(false, entry.id).clone()
		st.accounts.add(entry)
	}
	for i := range ws.Members {
		entry, err := newMemberEntry(&ws.Members[i])
		if err != nil {
			return nil, fmt.Errorf("members[%d]: %w", i, err)
		}
		entry.extras = ws.cerbyExtras(true, entry.id).clone()
		st.members.add(entry)
	}
	for member, ids := range ws.Access {
		st.access[member] = slices.Clone(ids)
	}
	st.addCerbyResources(ws)
	return st, nil
}

// clone copies extras deeply, so later changes to the workspace are not seen;
// nil stays nil.
func (x *CerbyExtras) clone() *CerbyExtras {
	if x == nil {
		return nil
	}
	c := &CerbyExtras{Attributes: Object{Fields: make([]Field, len(x.Attributes.Fields))}, Omit: slices.Clone(x.Omit)}
	for i, f := range x.Attributes.Fields {
		c.Attributes.Fields[i] = Field{Key: f.Key, Value: slices.Clone(f.Value)}
	}
	return c
}

func newAccountEntry(o *Object) (*accountEntry, error) {
	body, err := o.MarshalJSON()
	if err != nil {
		return nil, err
	}
	return &accountEntry{
		id:          o.String("id"),
		provider:    o.String("provider"),
		status:      o.String("status"),
		itemType:    o.String("type"),
		role:        o.String("role"),
		appID:       o.String(KeyAppID),
		search:      searchText(o, "name", "username", "email"),
		collections: o.Strings(KeyCollectionIDs),
		teams:       o.Strings(KeyTeamIDs),
		body:        body,
	}, nil
}

func newMemberEntry(o *Object) (*memberEntry, error) {
	body, err := o.MarshalJSON()
	if err != nil {
		return nil, err
	}
	fullName := strings.ToLower(o.String("firstName") + " " + o.String("lastName"))
	return &memberEntry{
		id:        o.String("id"),
		status:    o.String("status"),
		search:    searchText(o, "firstName", "lastName", "email") + "\x00" + fullName,
		guest:     o.Bool("isGuest"),
		onlyInIdp: o.Bool(KeyOnlyInIdp),
		body:      body,
	}, nil
}

// searchText joins the fields with NUL so a search never matches across two.
func searchText(o *Object, keys ...string) string {
	parts := make([]string, len(keys))
	for i, key := range keys {
		parts[i] = strings.ToLower(o.String(key))
	}
	return strings.Join(parts, "\x00")
}

func (st *state) account(id string) *accountEntry {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return st.accounts.byID[id]
}

func (st *state) member(id string) *memberEntry {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return st.members.byID[id]
}

func (st *state) accountList() []*accountEntry {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return st.accounts.list
}

func (st *state) memberList() []*memberEntry {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return st.members.list
}

func (st *state) accountIDs() []string {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return st.accounts.ids()
}

func (st *state) memberIDs() []string {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return st.members.ids()
}

// accountsOf returns the accounts a member reaches that still exist, and
// whether the member is known.
func (st *state) accountsOf(memberID string) ([]*accountEntry, bool) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	if _, known := st.members.byID[memberID]; !known {
		return nil, false
	}
	return st.accountsIn(st.access[memberID]), true
}

// accountsByID returns the accounts of ids that still exist, in that order.
func (st *state) accountsByID(ids []string) []*accountEntry {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return st.accountsIn(ids)
}

// accountsIn is accountsByID for a caller holding the lock.
func (st *state) accountsIn(ids []string) []*accountEntry {
	reached := []*accountEntry{}
	for _, id := range ids {
		if entry := st.accounts.byID[id]; entry != nil {
			reached = append(reached, entry)
		}
	}
	return reached
}

// The generator only produces encodable objects, so the entry errors below
// cannot happen.

func (st *state) changeAccounts(insert, remove int) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.accounts.change(insert, remove, func() *accountEntry {
		obj := st.gen.account(st.next(), nil)
		entry, _ := newAccountEntry(&obj)
		return entry
	})
}

func (st *state) changeMembers(insert, remove int) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.members.change(insert, remove, func() *memberEntry {
		obj := st.gen.member(st.next())
		entry, _ := newMemberEntry(&obj)
		return entry
	})
}

func (st *state) next() int {
	st.made++
	return st.made
}
