package client

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// identified is an item that can be deduplicated.
type identified interface {
	Account | Member | Team | teamMember | Vault | Integration | IntegrationUser
	itemID() string
}

// listEnvelope is an object page as encoding/json reads it, the list fields
// in the order they are tried. Each field holds the text of the key that
// matches its name exactly or, failing that, ignoring case ("Accounts" is
// accounts, "RESOURCES" resources), as the usual-page decoder matches them;
// of a repeated key the last.
type listEnvelope struct {
	TotalResults    json.RawMessage `json:"totalResults"`
	Accounts        json.RawMessage `json:"accounts"`
	Resources       json.RawMessage `json:"resources"`
	ResourcesCapped json.RawMessage `json:"Resources"`
	Data            json.RawMessage `json:"data"`
	Items           json.RawMessage `json:"items"`
}

// listKeys are the envelopes a list may come in, besides a bare array.
var listKeys = jsonTags[listEnvelope]()[1:]

// list is the first list present that is not null: a null list is an empty
// page only when no other list follows it, or the page would silently lose
// the items sent under a later key.
func (e *listEnvelope) list() (list json.RawMessage, found bool) {
	for _, raw := range []json.RawMessage{e.Accounts, e.Resources, e.ResourcesCapped, e.Data, e.Items} {
		switch {
		case raw == nil:
		case string(raw) != "null":
			return raw, true
		case list == nil:
			list = raw
		}
	}
	return list, list != nil
}

// singleKeys wrap one account when it does not come bare.
var singleKeys = []string{"data", "account"}

// decodeList reads a page; total is nil when the server sent none.
func decodeList[T identified](endpoint string, body string) (items []T, total *int, err error) {
	items, total, usual := decodeUsualList[T](body)
	if !usual {
		if items, total, err = decodeAnyList[T](endpoint, []byte(body)); err != nil {
			return nil, nil, err
		}
	}
	for i, item := range items {
		if item.itemID() == "" {
			return nil, nil, fmt.Errorf("%s: item %d of the response has no id, so it cannot be told apart from the others", endpoint, i+1)
		}
	}
	return items, total, nil
}

// decodeUsualList reads a well-formed bare array or envelope in a single
// pass without reflection (large listings spend most of their CPU here). It
// reports false for anything else, and for what it cannot read exactly as
// encoding/json would; decodeAnyList then reads or explains the page.
func decodeUsualList[T identified](body string) (items []T, total *int, ok bool) {
	text := strings.TrimSpace(strings.TrimPrefix(body, "\uFEFF"))
	if len(text) == 0 || text[0] != '[' && text[0] != '{' {
		return nil, nil, false
	}
	d := pageDecoder{text: text} // the items' strings share this one string
	if text[0] == '[' {
		items, ok = readList[T](&d)
	} else {
		items, total, ok = readEnvelope[T](&d)
	}
	if !ok || d.pos != len(d.text) {
		return nil, nil, false
	}
	return items, total, true
}

// decodeAnyList reads any page the Read API may send, key by key, and says
// what is wrong with one it cannot read.
func decodeAnyList[T identified](endpoint string, body []byte) (items []T, total *int, err error) {
	text, err := jsonBody(endpoint, body)
	if err != nil {
		return nil, nil, err
	}
	list := text
	switch text[0] {
	case '[':
	case '{':
		var envelope listEnvelope
		if err := json.Unmarshal(text, &envelope); err != nil {
			return nil, nil, fmt.Errorf("%s: decoding the response: %w", endpoint, err)
		}
		var found bool
		if list, found = envelope.list(); !found {
			return nil, nil, notAList(endpoint)
		}
		total = totalResults(envelope.TotalResults)
	default:
		// Not a list: a bare null would read as an empty page, and end the
		// listing with no error.
		return nil, nil, fmt.Errorf("%w, got %q", notAList(endpoint), truncate(cleanText(string(text)), 40))
	}
	if err := json.Unmarshal(list, &items); err != nil {
		return nil, nil, fmt.Errorf("%s: decoding the list of items: %w", endpoint, err)
	}
	return items, total, nil
}

func notAList(endpoint string) error {
	return fmt.Errorf("%s: the response is not a list: expected a JSON array or an object with one of the keys %s", endpoint, strings.Join(listKeys, ", "))
}

// decodeAccount reads one account, bare or under a data/account key.
func decodeAccount(endpoint string, body string) (*Account, error) {
	text, err := jsonBody(endpoint, []byte(body))
	if err != nil {
		return nil, err
	}
	var envelope map[string]json.RawMessage
	if err := json.Unmarshal(text, &envelope); err != nil {
		return nil, fmt.Errorf("%s: the response is not an account object: %w", endpoint, err)
	}
	if _, bare := envelope["id"]; !bare {
		key, found := firstKey(envelope, singleKeys)
		if !found {
			return nil, fmt.Errorf("%s: the response is not an account: expected an object with an id, or one under the key %s", endpoint, strings.Join(singleKeys, " or "))
		}
		text = envelope[key]
	}
	var account Account
	if err := json.Unmarshal(text, &account); err != nil {
		return nil, fmt.Errorf("%s: decoding the account: %w", endpoint, err)
	}
	if account.ID == "" {
		return nil, fmt.Errorf("%s: the account in the response has no id", endpoint)
	}
	return &account, nil
}

// jsonBody rejects a body that is not JSON with an error saying what it is.
func jsonBody(endpoint string, body []byte) ([]byte, error) {
	text := bytes.TrimSpace(bytes.TrimPrefix(body, []byte("\uFEFF")))
	switch {
	case len(text) == 0:
		return nil, fmt.Errorf("%s: the response body is empty, expected JSON", endpoint)
	case !json.Valid(text) && looksLikeHTML("", text):
		return nil, fmt.Errorf("%s: the response is an HTML page, not JSON (probably from a proxy, or the base URL is not a Cerby API endpoint)", endpoint)
	case !json.Valid(text):
		return nil, fmt.Errorf("%s: the response is not valid JSON (it starts with %q)", endpoint, truncate(cleanText(string(text)), 40))
	}
	return text, nil
}

func firstKey(envelope map[string]json.RawMessage, keys []string) (string, bool) {
	for _, key := range keys {
		if _, ok := envelope[key]; ok {
			return key, true
		}
	}
	return "", false
}

// totalResults accepts a number or a numeric string; anything else counts as
// absent, and the walk falls back to the short-page rule.
func totalResults(raw json.RawMessage) *int {
	text := strings.Trim(string(bytes.TrimSpace(raw)), `"`)
	n, err := strconv.Atoi(text)
	if err != nil || n < 0 {
		return nil
	}
	return &n
}
