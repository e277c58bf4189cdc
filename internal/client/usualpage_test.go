package client

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/cerby-community/terraform-provider-cerby/internal/cerbysim"
)

// oracleUsualList is what the fallback decodeAnyList, which reads with
// encoding/json, makes of body: the decoder must return exactly that, or not
// read the page at all, so that a page reads the same whichever of the two
// reads it.
func oracleUsualList[T identified](body []byte) (items []T, total *int, ok bool) {
	items, total, err := decodeAnyList[T]("GET /v1/accounts", body)
	return items, total, err == nil
}

// matchesOracle fails the test if the decoder accepts body and returns
// anything but what the fallback returns. It reports whether the decoder
// and the oracle accepted the page.
func matchesOracle[T identified](t *testing.T, body []byte) (usual, oracle bool) {
	t.Helper()
	items, total, usual := decodeUsualList[T](string(body))
	want, wantTotal, oracle := oracleUsualList[T](body)
	switch {
	case !usual && (items != nil || total != nil):
		t.Errorf("not usual, yet items %v and total %v came back", items, deref(total))
	case usual && !oracle:
		t.Errorf("read a page the fallback rejects: %q", body)
	case usual && (!reflect.DeepEqual(items, want) || !reflect.DeepEqual(total, wantTotal)):
		t.Errorf("%q:\n got %s, total %v\nwant %s, total %v", body, dump(items), deref(total), dump(want), deref(wantTotal))
	}
	return usual, oracle
}

// dump shows values with pointers followed and nil apart from empty (raw
// bytes in base64).
func dump(v any) string {
	data, _ := json.Marshal(v)
	return string(data)
}

// How a page must fare: read by the decoder (and equal to the fallback),
// given up by the decoder although the fallback reads it, or read by neither
// (invalid JSON, a type error, no list).
const (
	usual = iota
	bails
	neither
)

func checkFate[T identified](t *testing.T, name, body string, fate int) {
	t.Helper()
	got, oracle := matchesOracle[T](t, []byte(body))
	want := map[int][2]bool{usual: {true, true}, bails: {false, true}, neither: {false, false}}[fate]
	if [2]bool{got, oracle} != want {
		t.Errorf("%s: decoder read it %v, fallback %v; want %v, %v\n%s", name, got, oracle, want[0], want[1], body)
	}
}

func TestUsualPageEnvelopes(t *testing.T) {
	two := `[{"id":"a"},{"id":"b","extra":{"unknown":true}}]`
	for name, tt := range map[string]struct {
		body string
		fate int
	}{
		"bare array":                  {two, usual},
		"empty bare array":            {`[]`, usual},
		"accounts, total number":      {`{"startIndex":1,"totalResults":2,"accounts":` + two + `}`, usual},
		"total numeric string":        {`{"items":` + two + `,"totalResults":"2"}`, usual},
		"total absent":                {`{"data":` + two + `}`, usual},
		"total null":                  {`{"data":` + two + `,"totalResults":null}`, usual},
		"total not a number":          {`{"data":` + two + `,"totalResults":"many"}`, usual},
		"total fraction":              {`{"data":` + two + `,"totalResults":2.0}`, usual},
		"total negative":              {`{"data":` + two + `,"totalResults":-1}`, usual},
		"total object":                {`{"data":` + two + `,"totalResults":{"n":2}}`, usual},
		"total repeated":              {`{"data":` + two + `,"totalResults":1,"totalResults":"9"}`, usual},
		"total case-folded":           {`{"data":` + two + `,"TOTALRESULTS":5}`, usual},
		"empty list":                  {`{"accounts":[],"totalResults":0}`, usual},
		"empty list wins over later":  {`{"accounts":[],"data":` + two + `}`, usual},
		"accounts win over data":      {`{"data":[{"id":"x"}],"accounts":` + two + `}`, usual},
		"Resources alone":             {`{"Resources":` + two + `}`, usual},
		"resources win over Resource": {`{"Resources":[{"id":"R"}],"resources":` + two + `}`, usual},
		"RESOURCES folds to resource": {`{"RESOURCES":` + two + `,"Resources":[{"id":"R"}]}`, usual},
		"ACCOUNTS":                    {`{"ACCOUNTS":` + two + `}`, usual},
		"Items":                       {`{"Items":` + two + `}`, usual},
		"null list beside another":    {`{"accounts":null,"items":` + two + `}`, usual},
		"null list after another":     {`{"data":` + two + `,"resources":null}`, usual},
		"null lists around another":   {`{"Resources":null,"data":` + two + `,"accounts":null,"totalResults":2}`, usual},
		"Accounts":                    {`{"Accounts":` + two + `,"TotalResults":2}`, usual},
		"only null lists":             {`{"accounts":null,"data":null,"totalResults":0}`, bails},
		"unknown nested keys":         {`{"next":{"a":[1,-2.5e+3,{"b":null}],"c":"\u00e9"},"accounts":` + two + `,"x":[]}`, usual},
		"byte order mark and spacing": {"\uFEFF \n" + `{ "accounts" : [ { "id" : "a" } ] , "totalResults" : 1 }` + "\n\t", usual},
		"null item":                   {`[null,{"id":"a"}]`, usual},
		"empty item":                  {`[{}]`, usual},
		"list repeated":               {`{"accounts":[{"id":"a"}],"accounts":[{"name":"n"}]}`, bails},
		"list repeated by folding":    {`{"RESOURCES":[{"id":"a"}],"resources":[{"id":"b"}]}`, bails},
		"deep nesting":                {`[{"id":"a","meta":` + strings.Repeat("[", 600) + strings.Repeat("]", 600) + `}]`, bails},
		"only a null list":            {`{"accounts":null}`, bails}, // an empty page (D10)
		"no list":                     {`{"result":[]}`, neither},
		"list is an object":           {`{"data":{"id":"a"}}`, neither},
		"other list is an object":     {`{"accounts":[],"data":{"id":"a"}}`, bails}, // accounts comes first
		"item is a number":            {`[1]`, neither},
		"item is a string":            {`["a"]`, neither},
		"null":                        {`null`, neither},
		"number":                      {`42`, neither},
		"empty":                       {` `, neither},
		"trailing garbage":            {`[{"id":"a"}] x`, neither},
		"trailing bracket":            {`{"accounts":[]}}`, neither},
		"two values":                  {`[] []`, neither},
		"trailing comma":              {`[{"id":"a"},]`, neither},
		"trailing comma in object":    {`{"accounts":[],}`, neither},
		"unclosed":                    {`{"accounts":[{"id":"a"}]`, neither},
		"single quotes":               {`{'accounts':[]}`, neither},
		"vertical tab inside":         {"{\"accounts\":\v[]}", neither},
		"html":                        {`<html></html>`, neither},
	} {
		checkFate[Account](t, name, tt.body, tt.fate)
	}
}

func TestUsualPageAccountFields(t *testing.T) {
	for name, tt := range map[string]struct {
		item string
		fate int
	}{
		"every kind of value": {`"id":"a","name":"n","mfaEnabled":true,"autofillMfa":false,"permissions":["read",{"x":1}],
			"createdBy":{"id":"u","email":"u@x","firstName":"U"},"mfaTypes":["otp","email"],"domains":"x.com",
			"workspacePolicyResult":{"mfa_validation":true,"password_rotation":false},"meta":{}`, usual},
		"nulls": {`"id":"a","name":null,"mfaEnabled":null,"permissions":null,"createdBy":null,"mfaTypes":null,
			"workspacePolicyResult":null,"meta":null,"domains":null`, usual},
		"raw keeps its spacing":         {`"id":"a","meta": { "a" : [ 1 , 2 ] , "b":"\u00e9" } ,"domains":"x"`, usual},
		"raw scalars":                   {`"id":"a","meta":5,"domains":true,"permissions":"-0.5E-2"`, usual},
		"empty string kept":             {`"id":"a","businessId":""`, usual},
		"empty mfaTypes":                {`"id":"a","mfaTypes":[]`, usual},
		"null mfaType":                  {`"id":"a","mfaTypes":["otp",null]`, usual},
		"createdBy string":              {`"id":"a","createdBy":"u-9"`, usual},
		"createdBy escaped string":      {`"id":"a","createdBy":"u\u002d9"`, usual},
		"createdBy null id":             {`"id":"a","createdBy":{"id":null,"ID":"x","Email":"e"}`, usual},
		"createdBy empty object":        {`"id":"a","createdBy":{ }`, usual},
		"policy folded keys":            {`"id":"a","workspacePolicyResult":{"MFA_VALIDATION":true,"Password_Rotation":null}`, usual},
		"policy camel case is unknown":  {`"id":"a","workspacePolicyResult":{"mfaValidation":true}`, usual},
		"folded keys":                   {`"ID":"a","NAME":"n","idekId":"k","IDEKID":"K","AVATAR_URL":"u","MfaTypes":["x"]`, usual},
		"avatarUrl is unknown":          {`"id":"a","avatarUrl":"u"`, usual},
		"unknown nested keys":           {`"id":"a","appId":{"x":[[],{},"s",0,-0,1.5e9,true,false,null]},"teamIds":["t"]`, usual},
		"duplicate: last wins":          {`"id":"a","name":"x","name":"y","mfaEnabled":true,"mfaEnabled":false`, usual},
		"duplicate: later null":         {`"id":"a","name":"x","name":null,"meta":{},"meta":null,"createdBy":"u","createdBy":null`, usual},
		"duplicate: folded then exact":  {`"id":"a","NAME":"x","name":"y","Name":"z"`, usual},
		"duplicate: null id keeps id":   {`"id":"a","id":null`, usual},
		"duplicate: createdBy":          {`"id":"a","createdBy":{"id":"u","email":"e"},"createdBy":"v"`, usual},
		"duplicate: policies merge":     {`"id":"a","workspacePolicyResult":{"mfa_validation":true},"workspacePolicyResult":{"password_rotation":false}`, usual},
		"duplicate: policy after null":  {`"id":"a","workspacePolicyResult":{"mfa_validation":true},"workspacePolicyResult":null,"workspacePolicyResult":{}`, usual},
		"duplicate: mfaTypes":           {`"id":"a","mfaTypes":["a","b","c"],"mfaTypes":["d"],"mfaTypes":[]`, usual},
		"duplicate: mfaTypes then null": {`"id":"a","mfaTypes":null,"mfaTypes":["d",null]`, usual},
		"duplicate: null mfaType":       {`"id":"a","mfaTypes":["a","b"],"mfaTypes":[null]`, bails},
		"escapes":                       {`"id":"a","name":"q\"b\\s\/b\bf\fn\nr\rt\t","email":"\u00e9\u4e16\u0000"`, usual},
		"surrogate pair":                {`"id":"a","name":"\ud83d\ude00"`, usual},
		"lone surrogates":               {`"id":"a","name":"\ud83d","email":"\ude00\ud83d","phone":"\ud83dx","url":"\ud83d\u0041"`, usual},
		"escaped key and id":            {`"i\u0064":"\u0061","n\u0061me":"x"`, usual},
		"UTF-8 kept":                    {`"id":"a","name":"Zoë 世界 😀 ` + "\uFFFD" + `"`, usual},
		"invalid UTF-8 in a string":     {`"id":"a","name":"x` + "\xff" + `"`, bails},
		"invalid UTF-8 in an escaped":   {`"id":"a","name":"\n` + "\xc3" + `"`, bails},
		"invalid UTF-8 in raw":          {`"id":"a","meta":{"k":"` + "\xff" + `"}`, usual},
		"invalid UTF-8 in unknown":      {`"id":"a","x":"` + "\xed\xa0\x80" + `"`, usual},
		"non-ASCII key":                 {`"id":"a","ſtatus":"x"`, bails},
		"Kelvin sign key":               {`"id":"a","hasBac` + "\u212A" + `upCode":true`, bails},
		"name is a number":              {`"id":"a","name":5`, neither},
		"bool is a string":              {`"id":"a","mfaEnabled":"true"`, neither},
		"id is a number":                {`"id":5`, neither},
		"createdBy is a number":         {`"id":"a","createdBy":17`, neither},
		"createdBy is an array":         {`"id":"a","createdBy":["u"]`, neither},
		"createdBy id is a number":      {`"id":"a","createdBy":{"id":1}`, neither},
		"mfaTypes holds a number":       {`"id":"a","mfaTypes":[1]`, neither},
		"mfaTypes is a string":          {`"id":"a","mfaTypes":"otp"`, neither},
		"policy is an array":            {`"id":"a","workspacePolicyResult":[]`, neither},
		"policy holds a string":         {`"id":"a","workspacePolicyResult":{"mfa_validation":"yes"}`, neither},
		"control character":             {"\"id\":\"a\",\"name\":\"a\tb\"", neither},
		"bad escape":                    {`"id":"a","name":"\x41"`, neither},
		"short unicode escape":          {`"id":"a","name":"\u12"`, neither},
		"bad escape in unknown":         {`"id":"a","x":"\a"`, neither},
		"leading zero":                  {`"id":"a","x":01`, neither},
		"bare point":                    {`"id":"a","x":1.`, neither},
		"bare exponent":                 {`"id":"a","x":1e`, neither},
		"lone minus":                    {`"id":"a","x":-`, neither},
		"plus sign":                     {`"id":"a","x":+1`, neither},
		"misspelt literal":              {`"id":"a","mfaEnabled":tru`, neither},
		"literal run on":                {`"id":"a","mfaEnabled":truex`, neither},
		"missing colon":                 {`"id" "a"`, neither},
		"key not a string":              {`id:"a"`, neither},
	} {
		checkFate[Account](t, name, `{"accounts":[{`+tt.item+`},{"id":"z"}],"totalResults":2}`, tt.fate)
	}
}

func TestUsualPageMemberFields(t *testing.T) {
	for name, tt := range map[string]struct {
		item string
		fate int
	}{
		"every field": {`"id":"m","firstName":"A","lastName":"B","email":"e","status":"live","role":"r",
			"isGuest":false,"createdAt":"c","updatedAt":"u","lastActivity":null,"meta":{"a":[1]}`, usual},
		"folded keys":            {`"Id":"m","FIRSTNAME":"A","isguest":true,"META":[]`, usual},
		"account keys unknown":   {`"id":"m","mfaEnabled":"x","createdBy":5,"name":1`, usual},
		"isGuest is a string":    {`"id":"m","isGuest":"no"`, neither},
		"lastName is an object":  {`"id":"m","lastName":{}`, neither},
		"invalid UTF-8 in email": {`"id":"m","email":"` + "\xc0\xaf" + `"`, bails},
	} {
		checkFate[Member](t, name, `{"totalResults":1,"itemsPerPage":100,"resources":[{`+tt.item+`}]}`, tt.fate)
	}
}

// The semantics the oracle tests above hold the decoder to, spelt out.
func TestUsualPageSemantics(t *testing.T) {
	items, _, ok := decodeUsualList[Account](`{"Resources":[{"id":"R"}],"RESOURCES":[{"id":"r",
		"id":null,"workspacePolicyResult":{"mfa_validation":true},"workspacePolicyResult":{"password_rotation":false},
		"mfaTypes":["otp",null],"createdBy":"u","meta":null}]}`)
	if !ok || len(items) != 1 {
		t.Fatalf("not read: %v %v", items, ok)
	}
	a := items[0]
	checks := map[string]bool{
		"RESOURCES folds to resources, which wins over Resources": a.ID == "r",
		"a null id keeps the id":                                  a.ID == "r",
		"repeated policies merge": a.WorkspacePolicyResult != nil && a.WorkspacePolicyResult.MfaValidation != nil &&
			*a.WorkspacePolicyResult.MfaValidation && !*a.WorkspacePolicyResult.PasswordRotation,
		"a null mfaType is empty": reflect.DeepEqual(a.MfaTypes, []string{"otp", ""}),
		"createdBy string":        a.CreatedBy != nil && *a.CreatedBy.ID == "u" && string(a.CreatedBy.Raw) == `"u"`,
		"null meta is empty":      a.Meta == "",
		"absent field is nil":     a.Name == nil,
		"empty list is not nil":   func() bool { l, _, ok := decodeUsualList[Account](`[]`); return ok && l != nil }(),
		"absent mfaTypes are nil": func() bool {
			l, _, ok := decodeUsualList[Account](`[{"id":"a"}]`)
			return ok && l[0].MfaTypes == nil
		}(),
		"empty mfaTypes not nil": func() bool {
			l, _, ok := decodeUsualList[Account](`[{"mfaTypes":[]}]`)
			return ok && l[0].MfaTypes != nil
		}(),
		"null item is a zero item": func() bool {
			l, _, ok := decodeUsualList[Member](`[null]`)
			return ok && len(l) == 1 && l[0].ID == ""
		}(),
	}
	for name, ok := range checks {
		if !ok {
			t.Errorf("%s: got %s", name, dump(a))
		}
	}
}

// Every field of the structs, under its name and upper-cased, is read like
// encoding/json reads it: a field the decoder forgot would be skipped.
func TestUsualPageReadsEveryField(t *testing.T) {
	samples := map[reflect.Type]string{
		reflect.TypeFor[string]():                 `"s"`,
		reflect.TypeFor[*string]():                `"s"`,
		reflect.TypeFor[*bool]():                  `true`,
		reflect.TypeFor[RawJSON]():                `{"k":[1]}`,
		reflect.TypeFor[[]string]():               `["x"]`,
		reflect.TypeFor[*CreatedBy]():             `{"id":"u","email":"e"}`,
		reflect.TypeFor[*WorkspacePolicyResult](): `{"mfa_validation":true,"password_rotation":false}`,
	}
	for _, f := range append(reflect.VisibleFields(reflect.TypeFor[Account]()), reflect.VisibleFields(reflect.TypeFor[Member]())...) {
		sample, known := samples[f.Type]
		if !known {
			t.Errorf("%s: no sample value for %s", f.Name, f.Type)
			continue
		}
		tag := f.Tag.Get("json")
		for _, key := range []string{tag, strings.ToUpper(tag)} {
			body := `[{"id":"a","` + key + `":` + sample + `}]`
			checkFate[Account](t, f.Name, body, usual)
			checkFate[Member](t, f.Name, body, usual)
		}
	}
}

// Items share slabs, but none can reach another's values.
func TestUsualPageItemsAreIndependent(t *testing.T) {
	items, _, ok := decodeUsualList[Account](`[{"id":"a","name":"x","mfaTypes":["p"],"meta":[1]},
		{"id":"b","name":"x","mfaTypes":["q"],"meta":[2]}]`)
	if !ok {
		t.Fatal("not read")
	}
	a, b := &items[0], &items[1]
	*a.Name = "changed"
	a.MfaTypes = append(a.MfaTypes, "appended")
	if *b.Name != "x" || !reflect.DeepEqual(b.MfaTypes, []string{"q"}) || string(b.Meta) != "[2]" {
		t.Errorf("changing the first item changed the second: %s", dump(*b))
	}
}

// A real page costs a few allocations, not one per field.
func TestUsualPageAllocations(t *testing.T) {
	page := simPage(t, "/v1/accounts?startIndex=1&limit=100")
	allocs := testing.AllocsPerRun(10, func() {
		if _, _, ok := decodeUsualList[Account](string(page)); !ok {
			t.Fatal("the simulator's page is not usual")
		}
	})
	if allocs > 60 {
		t.Errorf("%.0f allocations for a page of 100 accounts", allocs)
	}
}

func TestUsualPageOfTheSimulator(t *testing.T) {
	checkFate[Account](t, "accounts", string(simPage(t, "/v1/accounts?startIndex=1&limit=100")), usual)
	checkFate[Member](t, "members", string(simPage(t, "/v1/admin/users?startIndex=1&count=100")), usual)
}

// simPage is a page served by cerbysim from a workspace of 100 accounts and
// 100 members, which shows every variant of every field.
func simPage(tb testing.TB, path string) []byte {
	tb.Helper()
	sim := cerbysim.New(cerbysim.Generate(1, cerbysim.Size{Accounts: 100, Members: 100}), cerbysim.Config{})
	rec := httptest.NewRecorder()
	sim.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	if rec.Code != http.StatusOK {
		tb.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body)
	}
	return rec.Body.Bytes()
}

// go test -run '^$' -bench DecodeUsualPage -benchmem ./internal/client/
func BenchmarkDecodeUsualPage(b *testing.B) {
	pages := []struct {
		name string
		body []byte
		new  func([]byte) bool
		old  func([]byte) bool
	}{
		{"accounts=100", simPage(b, "/v1/accounts?startIndex=1&limit=100"),
			func(p []byte) bool { _, _, ok := decodeUsualList[Account](string(p)); return ok },
			func(p []byte) bool { _, _, ok := oracleUsualList[Account](p); return ok }},
		{"members=100", simPage(b, "/v1/admin/users?startIndex=1&count=100"),
			func(p []byte) bool { _, _, ok := decodeUsualList[Member](string(p)); return ok },
			func(p []byte) bool { _, _, ok := oracleUsualList[Member](p); return ok }},
	}
	for _, page := range pages {
		for _, dec := range []struct {
			name   string
			decode func([]byte) bool
		}{{"decoder", page.new}, {"encoding-json", page.old}} {
			b.Run(page.name+"/"+dec.name, func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(page.body)))
				for b.Loop() {
					if !dec.decode(page.body) {
						b.Fatal("not read")
					}
				}
			})
		}
	}
}
