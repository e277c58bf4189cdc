package cerbysim

import (
	"encoding/json"
	"testing"
)

func TestObjectKeepsOrderAndRawValues(t *testing.T) {
	in := `{"zeta": 1, "alpha": {"b": 2, "a": [1, 2]}, "createdBy": "u-1", "domains": null, "x": "é"}`
	var o Object
	if err := json.Unmarshal([]byte(in), &o); err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"zeta":1,"alpha":{"b":2,"a":[1,2]},"createdBy":"u-1","domains":null,"x":"é"}`
	if string(out) != want {
		t.Fatalf("got %s\nwant %s", out, want)
	}
}

func TestObjectAccessors(t *testing.T) {
	var o Object
	if err := json.Unmarshal([]byte(`{"id":"a","n":3,"ok":true,"list":["x","y"],"mixed":[1]}`), &o); err != nil {
		t.Fatal(err)
	}
	if o.String("id") != "a" || o.String("n") != "" || o.String("missing") != "" {
		t.Errorf("String: got %q %q %q", o.String("id"), o.String("n"), o.String("missing"))
	}
	if !o.Bool("ok") || o.Bool("id") {
		t.Error("Bool misread")
	}
	if got := o.Strings("list"); len(got) != 2 || got[1] != "y" {
		t.Errorf("Strings(list) = %v", got)
	}
	if o.Strings("mixed") != nil {
		t.Error("Strings of a non-string array should be nil")
	}
	if err := o.Set("n", "four"); err != nil {
		t.Fatal(err)
	}
	if err := o.Set("new", nil); err != nil {
		t.Fatal(err)
	}
	if err := o.Set("bad", make(chan int)); err == nil {
		t.Error("Set of an unencodable value should fail")
	}
	o.Delete("list")
	out, _ := json.Marshal(o)
	if want := `{"id":"a","n":"four","ok":true,"mixed":[1],"new":null}`; string(out) != want {
		t.Fatalf("got %s, want %s", out, want)
	}
}

func TestObjectRejectsNonObjects(t *testing.T) {
	for _, in := range []string{`[]`, `"s"`, `null`} {
		var o Object
		if err := json.Unmarshal([]byte(in), &o); err == nil {
			t.Errorf("%s: want an error", in)
		}
	}
}
