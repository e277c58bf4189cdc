package client

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// matchesCerbyOracle fails the test if the single-pass reader accepts body
// and returns anything but what the fallback decodeAnyCerbyList
// (encoding/json) returns: items, total, links and warnings. It reports
// whether the reader and the fallback accepted the page.
func matchesCerbyOracle[T identified](t *testing.T, body []byte, decode resourceDecoder[T]) (usual, oracle bool) {
	t.Helper()
	pg, usual := decodeUsualCerbyList(string(body), decode)
	want, err := decodeAnyCerbyList("GET /api/v1/accounts", string(body), decode)
	oracle = err == nil
	switch {
	case !usual && !reflect.DeepEqual(pg, page[T]{}):
		t.Errorf("not usual, yet a page came back: %s", dumpPage(pg))
	case usual && !oracle:
		t.Errorf("read a page the fallback rejects (%v): %q", err, body)
	case usual && !reflect.DeepEqual(pg, want):
		t.Errorf("%q:\n got %s\nwant %s", body, dumpPage(pg), dumpPage(want))
	}
	return usual, oracle
}

// dumpPage shows a page with pointers followed, nil apart from empty, and
// the fields encoding/json leaves out (HasPasskey); zero fields are left out.
func dumpPage[T identified](pg page[T]) string {
	return dumpValue(reflect.ValueOf(pg))
}

func dumpValue(v reflect.Value) string {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return "nil"
		}
		return "&" + dumpValue(v.Elem())
	case reflect.Slice:
		if v.IsNil() {
			return "nil"
		}
		elems := make([]string, v.Len())
		for i := range elems {
			elems[i] = dumpValue(v.Index(i))
		}
		return "[" + strings.Join(elems, ", ") + "]"
	case reflect.Struct:
		var fields []string
		for i := range v.NumField() {
			if f := v.Field(i); !f.IsZero() {
				fields = append(fields, v.Type().Field(i).Name+":"+dumpValue(f))
			}
		}
		return "{" + strings.Join(fields, " ") + "}"
	case reflect.String:
		return strconv.Quote(v.String())
	}
	return fmt.Sprint(v)
}

// checkCerbyFate: usual, bails or neither, as checkFate for the Read API.
func checkCerbyFate[T identified](t *testing.T, name, body string, decode resourceDecoder[T], fate int) {
	t.Helper()
	got, oracle := matchesCerbyOracle(t, []byte(body), decode)
	want := map[int][2]bool{usual: {true, true}, bails: {false, true}, neither: {false, false}}[fate]
	if [2]bool{got, oracle} != want {
		t.Errorf("%s: reader read it %v, fallback %v; want %v, %v\n%s", name, got, oracle, want[0], want[1], body)
	}
}

func TestCerbyUsualPageEnvelopes(t *testing.T) {
	two := `[{"id":"a","type":"account","attributes":{"label":"A"}},{"id":"b","attributes":{"extra":{"unknown":true}}}]`
	links := `"links":{"self":"/api/v1/accounts?page%5Bnumber%5D=1","next":"/api/v1/accounts?page%5Bnumber%5D=2","previous":null}`
	meta := `"meta":{"page":{"maxSize":100,"total":2}}`
	for name, tt := range map[string]struct {
		body string
		fate int
	}{
		"a full page":                 {`{"data":` + two + `,` + links + `,` + meta + `}`, usual},
		"meta and links first":        {`{` + meta + `,` + links + `,"data":` + two + `}`, usual},
		"data alone":                  {`{"data":` + two + `}`, usual},
		"empty data":                  {`{"data":[],"links":{"next":null},"meta":{"page":{"total":0}}}`, usual},
		"null data":                   {`{"data":null,"links":{"next":null}}`, usual},
		"one resource":                {`{"data":{"id":"a","type":"account","attributes":{"label":"A"}}}`, usual},
		"one resource, no attributes": {`{"data":{"id":"a"}}`, usual},
		"unknown top-level keys":      {`{"jsonapi":{"version":"1.0"},"included":[{"id":"x"}],"data":` + two + `,"x":[1,-2.5e+3,{"b":null}]}`, usual},
		"byte order mark and spacing": {"\uFEFF \n" + `{ "data" : [ { "id" : "a" , "attributes" : { "label" : "A" } } ] , "meta" : { "page" : { "total" : 1 } } }` + "\n\t", usual},
		"folded keys":                 {`{"DATA":` + two + `,"Links":{"NEXT":"/n"},"META":{"Page":{"TOTAL":2}}}`, usual},
		"escaped keys":                {`{"d\u0061ta":[{"i\u0064":"\u0061"}],"links":{"ne\u0078t":"/n"}}`, usual},
		"next null":                   {`{"data":[],"links":{"next":null}}`, usual},
		"next absent":                 {`{"data":[],"links":{"self":"/s"}}`, usual},
		"next empty":                  {`{"data":[],"links":{"next":""}}`, usual},
		"next escaped":                {`{"data":[],"links":{"next":"\/api\/v1\/accounts?page%5Bnumber%5D=2\u0026x=1"}}`, usual},
		"links null":                  {`{"data":[],"links":null}`, usual},
		"links empty":                 {`{"data":[],"links":{}}`, usual},
		"meta null":                   {`{"data":[],"meta":null}`, usual},
		"meta without page":           {`{"data":[],"meta":{"total":5}}`, usual},
		"page null":                   {`{"data":[],"meta":{"page":null}}`, usual},
		"page without total":          {`{"data":[],"meta":{"page":{"maxSize":100}}}`, usual},
		"total numeric string":        {`{"data":[],"meta":{"page":{"total":"12"}}}`, usual},
		"total negative":              {`{"data":[],"meta":{"page":{"total":-1}}}`, usual},
		"total fraction":              {`{"data":[],"meta":{"page":{"total":2.5}}}`, usual},
		"total null":                  {`{"data":[],"meta":{"page":{"total":null}}}`, usual},
		"total object":                {`{"data":[],"meta":{"page":{"total":{"n":2}}}}`, usual},
		"total huge":                  {`{"data":[],"meta":{"page":{"total":99999999999999999999999}}}`, usual},

		"next an href object":         {`{"data":[],"links":{"next":{"href":"/n"}}}`, bails},
		"data repeated":               {`{"data":[{"id":"a"}],"data":[{"id":"b"}]}`, bails},
		"data repeated by folding":    {`{"data":[{"id":"a"}],"Data":null}`, bails},
		"links repeated":              {`{"data":[],"links":{"next":"/n"},"links":{"self":"/s"}}`, bails},
		"links null then links":       {`{"data":[],"links":null,"links":{"next":"/n"}}`, bails},
		"next repeated":               {`{"data":[],"links":{"next":"/n","next":null}}`, bails},
		"meta repeated":               {`{"data":[],"meta":{"page":{"total":1}},"meta":{}}`, bails},
		"page repeated":               {`{"data":[],"meta":{"page":{"total":1},"page":{"maxSize":1}}}`, bails},
		"total repeated":              {`{"data":[],"meta":{"page":{"total":1,"total":2}}}`, bails},
		"errors beside data":          {`{"data":[],"errors":[{"detail":"partial"}]}`, bails},
		"null errors beside data":     {`{"errors":null,"data":[]}`, bails},
		"ERRORS folded beside data":   {`{"data":[],"ERRORS":[]}`, bails},
		"non-ASCII key":               {`{"data":[],"ſelf":1}`, bails},
		"invalid UTF-8 in next":       {`{"data":[],"links":{"next":"/n` + "\xff" + `"}}`, bails},
		"invalid UTF-8 in an unknown": {`{"data":[],"x":"` + "\xff" + `"}`, usual},
		"deep nesting":                {`{"data":[],"x":` + strings.Repeat("[", 600) + strings.Repeat("]", 600) + `}`, bails},

		"no data":                  {`{"meta":{"page":{"total":3}},"links":{}}`, neither},
		"errors and no data":       {`{"errors":[{"status":"500","detail":"database down"}]}`, neither},
		"data a string":            {`{"data":"a"}`, neither},
		"data a number":            {`{"data":1}`, neither},
		"data true":                {`{"data":true}`, neither},
		"data of strings":          {`{"data":["a","b"]}`, neither},
		"data of null":             {`{"data":[null]}`, neither},
		"next a number":            {`{"data":[],"links":{"next":2}}`, neither},
		"next an object sans href": {`{"data":[],"links":{"next":{"meta":{}}}}`, neither},
		"links a string":           {`{"data":[],"links":"/n"}`, neither},
		"links a list":             {`{"data":[],"links":[]}`, neither},
		"meta a number":            {`{"data":[],"meta":1}`, neither},
		"page a list":              {`{"data":[],"meta":{"page":[]}}`, neither},
		"a top-level array":        {`[{"id":"a"}]`, neither},
		"a top-level null":         {`null`, neither},
		"empty":                    {` `, neither},
		"html":                     {`<html></html>`, neither},
		"trailing garbage":         {`{"data":[]} x`, neither},
		"two values":               {`{"data":[]} {}`, neither},
		"trailing comma":           {`{"data":[{"id":"a"},]}`, neither},
		"trailing comma in doc":    {`{"data":[],}`, neither},
		"unclosed":                 {`{"data":[{"id":"a"}]`, neither},
		"vertical tab inside":      {"{\"data\":\v[]}", neither},
	} {
		checkCerbyFate(t, name, tt.body, decodeCerbyAccount, tt.fate)
		checkCerbyFate(t, name+" (members)", tt.body, decodeCerbyMember, tt.fate)
	}
}

func TestCerbyUsualPageResources(t *testing.T) {
	for name, tt := range map[string]struct {
		resource string
		fate     int
	}{
		"id only":                    {`"id":"r"`, usual},
		"attributes first":           {`"attributes":{"label":"L"},"type":"account","id":"r"`, usual},
		"null attributes":            {`"id":"r","attributes":null`, usual},
		"empty attributes":           {`"id":"r","attributes":{}`, usual},
		"unknown resource keys":      {`"id":"r","relationships":{"owner":{"data":{"id":"u"}}},"links":{"self":"/x"},"meta":{"m":1}`, usual},
		"any type":                   {`"id":"r","type":{"not":"a string"}`, usual},
		"folded keys":                {`"ID":"r","Type":"x","ATTRIBUTES":{"label":"L"}`, usual},
		"id repeated: the last":      {`"id":"a","id":"r"`, usual},
		"id folded then exact":       {`"Id":"a","id":"r","iD":"s"`, usual},
		"escaped id":                 {`"id":"r\u002d1\ud83d\ude00"`, usual},
		"UTF-8 id":                   {`"id":"Zoë 世界"`, usual},
		"attributes repeated":        {`"id":"r","attributes":{"label":"A"},"attributes":{"application":"B"}`, bails},
		"attributes repeated folded": {`"id":"r","attributes":null,"Attributes":{"label":"A"}`, bails},
		"null id then an id":         {`"id":null,"id":"r"`, bails},
		"empty id then an id":        {`"id":"","id":"r"`, usual},
		"non-ASCII key":              {`"id":"r","ıd":"x"`, bails},
		"invalid UTF-8 in the id":    {`"id":"r` + "\xff" + `"`, bails},
		"no id":                      {`"attributes":{"label":"A"}`, neither},
		"null id":                    {`"id":null`, neither},
		"empty id":                   {`"id":""`, neither},
		"id then an empty id":        {`"id":"r","id":""`, neither},
		"numeric id":                 {`"id":7`, neither},
		"object id":                  {`"id":{"v":"a"}`, neither},
		"attributes a list":          {`"id":"r","attributes":[]`, neither},
		"attributes a string":        {`"id":"r","attributes":"label"`, neither},
		"attributes a number":        {`"id":"r","attributes":7`, neither},
		"attributes false":           {`"id":"r","attributes":false`, neither},
	} {
		for _, body := range []string{
			`{"data":[{` + tt.resource + `},{"id":"z"}],"meta":{"page":{"total":2}}}`,
			`{"data":{` + tt.resource + `}}`,
		} {
			checkCerbyFate(t, name, body, decodeCerbyAccount, tt.fate)
			checkCerbyFate(t, name+" (members)", body, decodeCerbyMember, tt.fate)
		}
	}
	// The empty id counts for nothing when a later one follows (above); a
	// resource that is not an object is not one.
	checkCerbyFate(t, "a string resource", `{"data":["r"]}`, decodeCerbyAccount, neither)
}

func TestCerbyUsualPageAccountAttributes(t *testing.T) {
	for name, tt := range map[string]struct {
		attrs string
		fate  int
	}{
		"the documented ones": {`"label":"Team Google","application":"google","workspace":"acme","createdAt":"c",
			"createdBy":"u-9","createdByEmail":"owner@acme.test","updatedAt":"u","lastLoginDate":"l","lastLoginBy":"Ann",
			"lastPasswordChange":"p","mfaEnabled":true,"mfaTypes":["totp","sms"],"hasBackupCode":false,"hasPasskey":true,
			"hasTotp":true,"cerbyManagedEmail":true,"cerbyManagedPhone":false,"businessId":"","meta":{"k":[1,"two"]}`, usual},
		"the third-party ones": {`"autofillMfa":true,"passwordSet":false,"passwordVisible":null,"email":"e","phone":"+1",
			"url":"https://x","domain":"x.com","status":"enabled","rotatedBy":"b","rotatedById":"i","rotatedAt":"r",
			"syncedAt":"s","avatarUrl":"https://img"`, usual},
		"nulls": {`"label":null,"mfaEnabled":null,"mfaTypes":null,"createdBy":null,"createdByEmail":null,"meta":null,
			"status":null,"avatarUrl":null`, usual},
		"Read API names are unknown":  {`"name":"n","provider":"p","username":"u","vaultId":"v","type":"t","role":"r","avatar_url":"a","isEmailManaged":"x","hasTotpVirtualDevice":1`, usual},
		"unknown nested":              {`"secretValue":{"x":[[],{},"s",0,-0,1.5e9,true,false,null]},"id":"not the id"`, usual},
		"raw meta keeps its spacing":  {`"meta": { "a" : [ 1 , 2 ] , "b":"\u00e9" } `, usual},
		"raw meta scalars":            {`"meta":"-0.5E-2"`, usual},
		"empty mfaTypes":              {`"mfaTypes":[]`, usual},
		"null mfaType":                {`"mfaTypes":["otp",null]`, usual},
		"createdBy an object":         {`"createdBy":{"id":"u","email":"own@x","firstName":"U"},"createdByEmail":"other@x"`, usual},
		"createdBy object sans email": {`"createdBy":{"id":"u"},"createdByEmail":"other@x"`, usual},
		"createdBy escaped":           {`"createdBy":"u\u002d9"`, usual},
		"createdBy folded keys":       {`"createdBy":{"ID":"u","Email":"e","id":null}`, usual},
		"createdBy empty object":      {`"createdBy":{ }`, usual},
		"createdByEmail alone":        {`"createdByEmail":"a@x"`, usual},
		"createdByEmail before":       {`"createdByEmail":"a@x","createdBy":"u"`, usual},
		"createdByEmail null, id":     {`"createdBy":"u","createdByEmail":null`, usual},
		"createdBy null, email":       {`"createdBy":null,"createdByEmail":"a@x"`, usual},
		"folded keys":                 {`"LABEL":"L","Application":"a","CREATEDBYEMAIL":"e","mfatypes":["x"],"AvatarURL":"u","META":[]`, usual},
		"folded then exact":           {`"LABEL":"x","label":"y","Label":"z"`, usual},
		"duplicate: last wins":        {`"label":"x","label":"y","mfaEnabled":true,"mfaEnabled":false,"status":"a","status":null`, usual},
		"duplicate: createdBy":        {`"createdBy":{"id":"u","email":"e"},"createdBy":"v","createdByEmail":"f"`, usual},
		"duplicate: createdByEmail":   {`"createdByEmail":"e","createdByEmail":null,"createdBy":"v"`, usual},
		"duplicate: mfaTypes":         {`"mfaTypes":["a","b","c"],"mfaTypes":["d"],"mfaTypes":[]`, usual},
		"duplicate: mfaTypes, null":   {`"mfaTypes":null,"mfaTypes":["d",null]`, usual},
		"duplicate: null mfaType":     {`"mfaTypes":["a","b"],"mfaTypes":[null]`, bails},
		"duplicate: meta":             {`"meta":{"a":1},"meta":null`, usual},
		"escapes":                     {`"label":"q\"b\\s\/b\bf\fn\nr\rt\t","email":"\u00e9\u4e16\u0000","url":"\ud83d"`, usual},
		"UTF-8 kept":                  {`"label":"Zoë 世界 😀 ` + "\uFFFD" + `"`, usual},
		"invalid UTF-8 in a string":   {`"label":"x` + "\xff" + `"`, bails},
		"invalid UTF-8 in raw meta":   {`"meta":{"k":"` + "\xff" + `"}`, usual},
		"non-ASCII key":               {`"ſtatus":"x"`, bails},
		"Kelvin sign key":             {`"hasBac` + "\u212A" + `upCode":true`, bails},

		// Third-party attributes of another type: the fallback leaves them
		// null with a warning (C10), the reader leaves the page to it.
		"status a number":         {`"label":"L","status":1`, bails},
		"email an object":         {`"email":{"address":"x@example.com"},"phone":"+1"`, bails},
		"autofillMfa a string":    {`"autofillMfa":"yes"`, bails},
		"createdByEmail a bool":   {`"createdBy":"u","createdByEmail":true`, bails},
		"avatarUrl a list":        {`"avatarUrl":["u"]`, bails},
		"STATUS folded, a number": {`"STATUS":2`, bails},
		"a number, then a string": {`"status":1,"status":"x"`, bails},

		// Documented attributes of another type fail the page.
		"label a number":             {`"label":5`, neither},
		"mfaEnabled a string":        {`"mfaEnabled":"true"`, neither},
		"hasPasskey a number":        {`"hasPasskey":1`, neither},
		"mfaTypes a string":          {`"mfaTypes":"otp"`, neither},
		"mfaTypes holds a number":    {`"mfaTypes":[1]`, neither},
		"createdBy a number":         {`"createdBy":17`, neither},
		"createdBy a list":           {`"createdBy":["u"]`, neither},
		"createdBy id a number":      {`"createdBy":{"id":1}`, neither},
		"label a number, status too": {`"label":7,"status":1`, neither},
	} {
		checkCerbyFate(t, name, `{"data":[{"id":"a","type":"account","attributes":{`+tt.attrs+`}},{"id":"z"}],"meta":{"page":{"total":2}}}`, decodeCerbyAccount, tt.fate)
	}
}

func TestCerbyUsualPageUserAttributes(t *testing.T) {
	for name, tt := range map[string]struct {
		attrs string
		fate  int
	}{
		"every attribute": {`"firstName":"Ann","lastName":"Smith","email":"ann@x","status":"live","role":"workspace_admin",
			"isGuest":false,"createdAt":"c","updatedAt":"u","lastActivity":null`, usual},
		"mfaStatus":                         {`"firstName":"A","mfaStatus":{"mfaEnabled":true,"mfaEnrollmentDate":"2026-01-01"}`, usual},
		"mfaStatus null":                    {`"mfaStatus":null`, usual},
		"mfaStatus empty":                   {`"mfaStatus":{}`, usual},
		"mfaStatus folded, nested keys too": {`"MFASTATUS":{"MfaEnabled":false,"mfaenrollmentdate":null,"other":[1]}`, usual},
		"mfaStatus repeated: merged":        {`"mfaStatus":{"mfaEnabled":true},"mfaStatus":{"mfaEnrollmentDate":"d"}`, usual},
		"mfaStatus then null":               {`"mfaStatus":{"mfaEnabled":true},"mfaStatus":null`, usual},
		"mfaStatus a string":                {`"mfaStatus":"yes"`, neither},
		"mfaEnabled a string":               {`"mfaStatus":{"mfaEnabled":"yes"}`, neither},
		"meta is not read":                  {`"meta":{"x":1},"label":5,"createdBy":7`, usual},
		"folded keys":                       {`"FIRSTNAME":"A","isguest":true,"LastActivity":"l"`, usual},
		"duplicate: last wins":              {`"role":"a","role":"b","isGuest":true,"isGuest":null`, usual},
		"non-ASCII key":                     {`"ſtatus":"x"`, bails},
		"invalid UTF-8 in email":            {`"email":"` + "\xc0\xaf" + `"`, bails},
		"isGuest a string":                  {`"isGuest":"no"`, neither},
		"lastName an object":                {`"lastName":{}`, neither},
		"status a number":                   {`"status":1`, neither}, // no attribute of a member is lenient
	} {
		checkCerbyFate(t, name, `{"data":[{"id":"m","type":"user","attributes":{`+tt.attrs+`}}],"links":{"next":null}}`, decodeCerbyMember, tt.fate)
	}
}

// Every attribute of cerbyAccountAttributes and cerbyUserAttributes, under
// its name and upper-cased, is read like the fallback reads it: an attribute
// the reader has no case for would be skipped, and the page differ.
func TestCerbyUsualPageReadsEveryField(t *testing.T) {
	samples := map[reflect.Type]string{
		reflect.TypeFor[*string]():         `"s"`,
		reflect.TypeFor[*bool]():           `true`,
		reflect.TypeFor[RawJSON]():         `{"k":[1]}`,
		reflect.TypeFor[[]string]():        `["x"]`,
		reflect.TypeFor[*CreatedBy]():      `{"id":"u","email":"e"}`,
		reflect.TypeFor[*cerbyMFAStatus](): `{"mfaEnabled":false,"mfaEnrollmentDate":"d"}`,
	}
	check := func(f reflect.StructField, read func(body string) (usual bool, changed bool)) {
		sample, known := samples[f.Type]
		if !known {
			t.Errorf("%s: no sample value for %s", f.Name, f.Type)
			return
		}
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		for _, key := range []string{tag, strings.ToUpper(tag)} {
			usual, changed := read(`{"data":[{"id":"a","attributes":{"` + key + `":` + sample + `}}]}`)
			if !usual || !changed {
				t.Errorf("%s (%q): read %v, gave the fallback's item a value %v; want both", f.Name, key, usual, changed)
			}
		}
	}
	for _, f := range reflect.VisibleFields(reflect.TypeFor[cerbyAccountAttributes]()) {
		check(f, func(body string) (bool, bool) {
			usual, _ := matchesCerbyOracle(t, []byte(body), decodeCerbyAccount)
			want, err := decodeAnyCerbyList("GET /api/v1/accounts", body, decodeCerbyAccount)
			return usual, err == nil && !reflect.DeepEqual(want.items[0], Account{ID: "a"})
		})
	}
	for _, f := range reflect.VisibleFields(reflect.TypeFor[cerbyUserAttributes]()) {
		check(f, func(body string) (bool, bool) {
			usual, _ := matchesCerbyOracle(t, []byte(body), decodeCerbyMember)
			want, err := decodeAnyCerbyList("GET /api/v1/users", body, decodeCerbyMember)
			return usual, err == nil && !reflect.DeepEqual(want.items[0], Member{ID: "a"})
		})
	}
}

// The semantics the oracle tests above hold the reader to, spelt out.
func TestCerbyUsualPageSemantics(t *testing.T) {
	pg, ok := decodeUsualCerbyList(`{"data":[{"id":"a","attributes":{"createdBy":{"id":"u"},"createdByEmail":"e@x",
		"mfaTypes":[],"meta":null}},{"id":"b","attributes":{"createdByEmail":"f@x"}},{"id":"c"}],
		"links":{"next":"/n"},"meta":{"page":{"total":"3"}}}`, decodeCerbyAccount)
	if !ok || len(pg.items) != 3 {
		t.Fatalf("not read: %s %v", dumpPage(pg), ok)
	}
	a, b, c := pg.items[0], pg.items[1], pg.items[2]
	empty, _ := decodeUsualCerbyList(`{"data":null}`, decodeCerbyMember)
	checks := map[string]bool{
		"createdByEmail fills the creator's email": a.CreatedBy != nil && *a.CreatedBy.ID == "u" && *a.CreatedBy.Email == "e@x" &&
			a.CreatedBy.Raw == `{"id":"u"}`,
		"createdByEmail alone is a creator": b.CreatedBy != nil && b.CreatedBy.ID == nil && *b.CreatedBy.Email == "f@x" && b.CreatedBy.Raw == "",
		"empty mfaTypes are not nil":        a.MfaTypes != nil && len(a.MfaTypes) == 0,
		"null meta is empty":                a.Meta == "",
		"no attributes, only the id":        reflect.DeepEqual(c, Account{ID: "c"}),
		"links and total": pg.links == pageLinks{present: true, next: "/n"} && pg.total != nil && *pg.total == 3 &&
			pg.warnings == nil,
		"null data is an empty page, not nil": empty.items != nil && len(empty.items) == 0 && !empty.links.present,
	}
	for name, ok := range checks {
		if !ok {
			t.Errorf("%s: got %s", name, dumpPage(pg))
		}
	}
}

// A decoder other than the two the reader reads as leaves every page to the
// fallback, which calls it.
func TestCerbyUsualPageOtherDecoder(t *testing.T) {
	other := func(id string, attrs []byte) (Account, []string, error) {
		return Account{ID: id, Name: strPtr(string(attrs))}, nil, nil
	}
	const body = `{"data":[{"id":"a","attributes":{"label":"L"}}]}`
	if _, ok := decodeUsualCerbyList(body, other); ok {
		t.Error("read a page for a decoder it does not know")
	}
	pg, err := decodeCerbyList("GET /api/v1/accounts", body, other)
	if err != nil || len(pg.items) != 1 || *pg.items[0].Name != `{"label":"L"}` {
		t.Errorf("decodeCerbyList did not use the decoder given: %s, %v", dumpPage(pg), err)
	}
}

// Items share slabs, but none can reach another's values.
func TestCerbyUsualPageItemsAreIndependent(t *testing.T) {
	pg, ok := decodeUsualCerbyList(`{"data":[{"id":"a","attributes":{"label":"x","mfaTypes":["p"],"createdByEmail":"e"}},
		{"id":"b","attributes":{"label":"x","mfaTypes":["q"],"createdByEmail":"e"}}]}`, decodeCerbyAccount)
	if !ok {
		t.Fatal("not read")
	}
	a, b := &pg.items[0], &pg.items[1]
	*a.Name, *a.CreatedBy.Email = "changed", "changed"
	a.MfaTypes = append(a.MfaTypes, "appended")
	if *b.Name != "x" || *b.CreatedBy.Email != "e" || !reflect.DeepEqual(b.MfaTypes, []string{"q"}) {
		t.Errorf("changing the first item changed the second: %s", dump(*b))
	}
}

// The simulator's pages, which show every variant of every attribute, are
// usual: accounts, members with and without mfaStatus, and a member's
// accounts.
func TestCerbyUsualPageOfTheSimulator(t *testing.T) {
	for _, path := range []string{
		"/api/v1/accounts?page%5Bnumber%5D=1&page%5Bsize%5D=100",
		"/api/v1/accounts?page%5Bnumber%5D=3&page%5Bsize%5D=7",
		"/api/v1/accounts/" + cerbySimAccountID(t),
	} {
		checkCerbyFate(t, path, string(simPage(t, path)), decodeCerbyAccount, usual)
	}
	for _, path := range []string{
		"/api/v1/users?page%5Bnumber%5D=1&page%5Bsize%5D=100",
		"/api/v1/users?page%5Bnumber%5D=1&page%5Bsize%5D=100&mfaStatus=true",
	} {
		checkCerbyFate(t, path, string(simPage(t, path)), decodeCerbyMember, usual)
	}
}

func cerbySimAccountID(t *testing.T) string {
	pg, err := decodeAnyCerbyList("GET /api/v1/accounts", string(simPage(t, "/api/v1/accounts?page%5Bnumber%5D=1&page%5Bsize%5D=1")), decodeCerbyAccount)
	if err != nil || len(pg.items) != 1 {
		t.Fatalf("the simulator's first account: %v", err)
	}
	return pg.items[0].ID
}

// A real page costs a few allocations, not one per field, through
// decodeCerbyList: the listings' decoders are the ones the reader knows.
func TestCerbyUsualPageAllocations(t *testing.T) {
	body := string(simPage(t, "/api/v1/accounts?page%5Bnumber%5D=1&page%5Bsize%5D=100"))
	if _, ok := decodeUsualCerbyList(body, decodeCerbyAccount); !ok {
		t.Fatal("the simulator's page is not usual")
	}
	allocs := testing.AllocsPerRun(10, func() {
		if pg, err := decodeCerbyList("GET /api/v1/accounts", body, decodeCerbyAccount); err != nil || len(pg.items) != 100 {
			t.Fatalf("%d accounts, %v", len(pg.items), err)
		}
	})
	if allocs > 60 {
		t.Errorf("%.0f allocations for a page of 100 accounts", allocs)
	}
}
