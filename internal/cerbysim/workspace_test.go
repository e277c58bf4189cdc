package cerbysim

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadWorkspaceRoundTrip(t *testing.T) {
	ws := Generate(11, Size{Accounts: 25, Members: 8, AccessPerMember: 3})
	path := filepath.Join(t.TempDir(), "ws.json")
	if err := ws.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	loaded, err := LoadWorkspace(path)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(ws)
	got, _ := json.Marshal(loaded)
	if string(got) != string(want) {
		t.Fatal("workspace changed through WriteFile and LoadWorkspace")
	}
	member := ws.MemberIDs()[1]
	if strings.Join(loaded.AccountsOf(member), ",") != strings.Join(ws.AccountsOf(member), ",") {
		t.Error("access lost in the round trip")
	}
}

func TestParseWorkspaceHandWritten(t *testing.T) {
	doc := `{
	  "accounts": [
	    {"id": "a1", "name": "Shop TikTok", "createdBy": {"id": "m1", "email": "x@example.com"}, "domains": null, "surprise": [1]},
	    {"id": "a2", "createdAt": "2024-02-03T13:20:32.177000+00:00"}
	  ],
	  "members": [{"id": "m1", "firstName": "Ana"}],
	  "access": {"m1": ["a2"]}
	}`
	ws, err := ParseWorkspace([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(ws.AccountIDs(), ","); got != "a1,a2" {
		t.Errorf("AccountIDs = %s", got)
	}
	if got := ws.AccountsOf("m1"); len(got) != 1 || got[0] != "a2" {
		t.Errorf("AccountsOf(m1) = %v", got)
	}
	if raw, _ := ws.Account("a1").Get("surprise"); string(raw) != "[1]" {
		t.Errorf("unknown key kept as %s", raw)
	}
	if ws.Account("nope") != nil || ws.Member("nope") != nil {
		t.Error("lookup of an unknown id should be nil")
	}
}

func TestParseWorkspaceErrors(t *testing.T) {
	cases := map[string]struct{ doc, want string }{
		"not json":        {`{"accounts": [`, "invalid workspace JSON"},
		"unknown section": {`{"users": []}`, `unknown field "users"`},
		"missing id":      {`{"accounts": [{"name": "x"}]}`, `accounts[0]: "id" must be a non-empty string`},
		"numeric id":      {`{"members": [{"id": 5}]}`, `members[0]: "id" must be a non-empty string`},
		"duplicate id":    {`{"accounts": [{"id": "a"}, {"id": "a"}]}`, `accounts[1]: duplicate id "a"`},
		"not an object":   {`{"accounts": [[]]}`, "expected a JSON object"},
		"unknown member":  {`{"access": {"m9": []}}`, `"m9" is not the id of a member`},
		"unknown account": {`{"members": [{"id": "m"}], "access": {"m": ["a9"]}}`, `"a9" is not the id of an account`},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := ParseWorkspace([]byte(c.doc))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want it to contain %q", err, c.want)
			}
		})
	}
}

func TestLoadWorkspaceNamesTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(path, []byte(`{"accounts": [{}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadWorkspace(path); err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("error %v should name %s", err, path)
	}
	if _, err := LoadWorkspace(filepath.Join(t.TempDir(), "missing.json")); err == nil {
		t.Fatal("a missing file should fail")
	}
}
