package client

import (
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// Seed corpora live in testdata/fuzz/<target>; `make fuzz` explores from
// there. Every target asserts more than "no panic": what the caller relies on.

func FuzzDecodeAccountList(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte) {
		items, total, err := decodeList[Account]("GET /v1/accounts", string(body))
		checkDecodedList(t, items, total, err)
	})
}

func FuzzDecodeMemberList(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte) {
		items, total, err := decodeList[Member]("GET /v1/admin/users", string(body))
		checkDecodedList(t, items, total, err)
	})
}

// FuzzUsualPageMatchesEncodingJSON: on any body, the usual-page decoder
// returns exactly what the fallback decodeAnyList (encoding/json) returns,
// for accounts and members, or leaves the page to it.
func FuzzUsualPageMatchesEncodingJSON(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte) {
		matchesOracle[Account](t, body)
		matchesOracle[Member](t, body)
	})
}

func checkDecodedList[T identified](t *testing.T, items []T, total *int, err error) {
	if err != nil {
		if items != nil || total != nil {
			t.Errorf("an error (%v) came with items or a total", err)
		}
		return
	}
	if total != nil && *total < 0 {
		t.Errorf("negative totalResults %d", *total)
	}
	for i, item := range items {
		if item.itemID() == "" {
			t.Errorf("item %d has no id but was accepted", i+1)
		}
	}
}

func FuzzDecodeAccount(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte) {
		account, err := decodeAccount("GET /v1/accounts/a", string(body))
		if (account == nil) == (err == nil) {
			t.Fatalf("want exactly one of an account or an error, got %v and %v", account, err)
		}
		if account != nil && account.ID == "" {
			t.Errorf("an account without an id was accepted")
		}
	})
}

const fuzzSecret = "ck_live_FUZZ-secret-0123456789"

// FuzzAPIMessage: whatever an error body holds, the message is short, clean
// text without the credential.
func FuzzAPIMessage(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		msg := apiMessage(body, contentType, []string{fuzzSecret})
		if strings.Contains(msg, fuzzSecret) {
			t.Errorf("the message reveals the credential: %q", msg)
		}
		if n := utf8.RuneCountInString(msg); n > maxMessageRunes+1 {
			t.Errorf("message of %d runes, longer than the %d allowed", n, maxMessageRunes)
		}
		if !utf8.ValidString(msg) || strings.ContainsFunc(msg, func(r rune) bool { return r < ' ' || r == 0x7f }) {
			t.Errorf("message is not clean text: %q", msg)
		}
	})
}

func FuzzRetryAfter(f *testing.F) {
	f.Fuzz(func(t *testing.T, value string) {
		if d, ok := retryAfter(value, fakeStart); ok && d < 0 {
			t.Errorf("Retry-After %q gave a negative wait %s", value, d)
		}
	})
}

func FuzzBearerTokenExpiry(f *testing.F) {
	f.Fuzz(func(t *testing.T, token string) {
		if exp, ok := BearerTokenExpiry(token); ok && !exp.After(time.Unix(0, 0)) {
			t.Errorf("token %q gave an expiry %s at or before 1970", token, exp)
		}
	})
}

// FuzzNormalizeBaseURL: an accepted URL is https (or http on loopback),
// carries no query, fragment or user info, and normalizes to itself, since
// the provider and the client both normalize it.
func FuzzNormalizeBaseURL(f *testing.F) {
	f.Fuzz(func(t *testing.T, raw string) {
		base, err := NormalizeBaseURL(ReadAPI, raw)
		if err != nil {
			return
		}
		again, err := NormalizeBaseURL(ReadAPI, base)
		if err != nil || again != base {
			t.Fatalf("%q normalized to %q, which normalizes to %q (%v)", raw, base, again, err)
		}
		if !strings.HasPrefix(base, "https://") && !strings.HasPrefix(base, "http://") {
			t.Errorf("%q normalized to %q, neither https nor http", raw, base)
		}
		if u, err := url.Parse(base); err != nil || u.User != nil || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
			t.Errorf("%q normalized to %q, with a query, fragment or user info (%v)", raw, base, err)
		}
	})
}
