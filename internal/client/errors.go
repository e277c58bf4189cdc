package client

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// APIError is a non-2xx answer after retries.
type APIError struct {
	Method     string
	Path       string // path and query as requested, never with credentials
	StatusCode int
	Message    string // most specific message found in the body
	RequestID  string // from a request-id response header, if any
	Attempts   int
	Scope      string // API scope the endpoint needs, e.g. "Read accounts"

	api          API
	apiKey       bool          // the request carried an API key
	refusedWait  time.Duration // Retry-After the client would not wait for
	guessedWait  bool          // a 429 came without Retry-After
	maxRetryWait time.Duration
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %d %s", e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " (request id %s)", e.RequestID)
	}
	if hint := e.hint(); hint != "" {
		fmt.Fprintf(&b, ". %s", hint)
	}
	return b.String()
}

// Is makes errors.Is(err, ErrNotFound) true for a 404.
func (e *APIError) Is(target error) bool {
	return target == ErrNotFound && e.StatusCode == http.StatusNotFound
}

func (e *APIError) hint() string {
	switch code := e.StatusCode; {
	case code == http.StatusUnauthorized:
		scope := "the scope"
		if e.Scope != "" {
			scope = fmt.Sprintf("the %q scope", e.Scope)
		}
		return fmt.Sprintf("Either the credential (API key or bearer token) is invalid or expired, or the API key lacks %s this endpoint needs: check the credential, or create a key with that scope", scope)
	case code == http.StatusForbidden:
		return e.forbiddenHint()
	case code == http.StatusNotFound && e.api == CerbyAPI && e.Scope == ScopeReadAccounts:
		return "It does not exist or is not visible to this credential: the Cerby API shows only the accounts the API key's creator owns"
	case code == http.StatusNotFound:
		return "It does not exist or is not visible to this credential"
	case code == http.StatusTooManyRequests && e.refusedWait == 0:
		return fmt.Sprintf("Rate limited: gave up after %s%s; try again later, raise max_retries, or lower requests_per_second", plural(e.Attempts, "attempt"), e.guessedNote())
	case code == http.StatusTooManyRequests:
		return "Rate limited: " + e.refusedNote()
	case code >= 500 && e.refusedWait == 0:
		return fmt.Sprintf("Server error after %s", plural(e.Attempts, "attempt"))
	case code >= 500:
		return "Server error: " + e.refusedNote()
	}
	return ""
}

func (e *APIError) forbiddenHint() string {
	hint := "Your workspace role does not allow this call"
	if needsAdmin(e.Scope) {
		hint += ": reading workspace members, teams or vaults needs a workspace Admin role or higher"
	}
	switch {
	case e.api == CerbyAPI:
		hint += fmt.Sprintf(", or the API key lacks the %q scope", e.Scope)
	case e.apiKey:
		// A key made for the Cerby API is refused on the Read API's host.
		hint += ". If the key was created for the Cerby API (keys created in the Cerby web app today are), set workspace to your workspace's subdomain and api = \"cerby_api\""
	}
	return hint
}

// needsAdmin: the Cerby API shows users, teams and vaults to a workspace
// Admin or higher only (contract/cerby-api.md §1), and the Read API its
// members; the endpoints that need the Read users scope are those.
func needsAdmin(scope string) bool {
	return strings.Contains(scope, ScopeReadUsers) || scope == ScopeReadVaults
}

// guessedNote says how the client waited when the server did not say.
func (e *APIError) guessedNote() string {
	if !e.guessedWait {
		return ""
	}
	return fmt.Sprintf(" (the server sent no Retry-After, so each retry waited a capped backoff of up to %s, paused for every request of the provider; Cerby reportedly asks for minutes)", min(backoffCap, e.maxRetryWait))
}

func (e *APIError) refusedNote() string {
	return fmt.Sprintf("the server asked to wait %s, longer than max_retry_wait (%s); try again later or raise max_retry_wait", e.refusedWait, e.maxRetryWait)
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// requestIDHeaders are tried in order; the first one present wins.
var requestIDHeaders = []string{"X-Request-Id", "Request-Id", "X-Correlation-Id", "X-Amzn-Requestid", "X-Amz-Cf-Id", "Cf-Ray"}

func requestID(h http.Header) string {
	for _, name := range requestIDHeaders {
		if v := h.Get(name); v != "" {
			return truncate(cleanText(v), 100)
		}
	}
	return ""
}

const maxMessageRunes = 200

// apiMessage picks the most specific message of an error body, with any
// credential the server echoed removed before anything is cut short.
func apiMessage(body []byte, contentType string, secrets []string) string {
	text := bytes.TrimSpace(body)
	var msg string
	switch {
	case len(text) == 0:
		return ""
	case looksLikeHTML(contentType, text):
		msg = htmlNote(text)
	default:
		if msg = jsonMessage(text); msg == "" {
			msg = string(text)
		}
	}
	return truncate(cleanText(redact(msg, secrets)), maxMessageRunes)
}

// jsonMessage reads errors[].detail (or title), then detail, then message.
// Fields are read loosely: error bodies are undocumented.
func jsonMessage(text []byte) string {
	var doc map[string]json.RawMessage
	if json.Unmarshal(text, &doc) != nil {
		return ""
	}
	var items []map[string]json.RawMessage
	_ = json.Unmarshal(doc["errors"], &items) // absent or another shape: no items
	var details []string
	for _, item := range items {
		if msg := firstString(item, "detail", "title"); msg != "" {
			details = append(details, msg+errorLocation(item["meta"]))
		}
	}
	if len(details) > 0 {
		return strings.Join(details, "; ")
	}
	return firstString(doc, "detail", "message", "error")
}

// errorLocation is " (at <loc>)" for a validation error's meta.loc, a string
// or a list of names and indexes, and "" for anything else.
func errorLocation(meta json.RawMessage) string {
	var m struct{ Loc json.RawMessage }
	if json.Unmarshal(meta, &m) != nil || m.Loc == nil {
		return ""
	}
	var one string
	if json.Unmarshal(m.Loc, &one) == nil && one != "" {
		return " (at " + one + ")"
	}
	var parts []any
	if json.Unmarshal(m.Loc, &parts) != nil || len(parts) == 0 {
		return ""
	}
	names := make([]string, len(parts))
	for i, p := range parts {
		names[i] = fmt.Sprint(p)
	}
	return " (at " + strings.Join(names, ".") + ")"
}

func firstString(obj map[string]json.RawMessage, keys ...string) string {
	for _, key := range keys {
		var s string
		if json.Unmarshal(obj[key], &s) == nil && strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}

func looksLikeHTML(contentType string, text []byte) bool {
	if strings.Contains(strings.ToLower(contentType), "html") {
		return true
	}
	return len(text) > 0 && text[0] == '<'
}

var htmlTitle = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)

func htmlNote(text []byte) string {
	note := "HTML page (probably from a proxy)"
	if m := htmlTitle.FindSubmatch(text); m != nil {
		if title := strings.TrimSpace(string(m[1])); title != "" {
			note += ": " + title
		}
	}
	return note
}

// cleanText folds whitespace and control characters into single spaces.
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return r <= ' ' || r == 0x7f
	}), " ")
}

func truncate(s string, maxRunes int) string {
	if utf8.RuneCountInString(s) <= maxRunes {
		return s
	}
	return string([]rune(s)[:maxRunes]) + "…"
}

// redact removes credentials a server may echo back in an error body.
func redact(s string, secrets []string) string {
	for _, secret := range secrets {
		s = strings.ReplaceAll(s, secret, "[redacted]")
	}
	return s
}

// redactError is err with every credential removed from its text, or err
// itself when its text holds none. apiMessage redacts error bodies, but the
// text of a 2xx answer reaches errors by other ways: a decoding error quotes
// the start of the body or the errors it holds, a refused link names its
// path, a page is described by its link. Unwrap keeps errors.Is and
// errors.As working; the wrapped error's own text is not redacted.
func redactError(err error, secrets []string) error {
	if err == nil {
		return nil
	}
	text := err.Error()
	clean := redactCut(text, secrets)
	if clean == text {
		return err
	}
	return &redactedError{text: clean, err: err}
}

// redactCut is redact, and also removes what is left of a credential that
// truncate cut short: its start, right before the ellipsis.
func redactCut(s string, secrets []string) string {
	s = redact(s, secrets)
	for _, secret := range secrets {
		for n := len(secret) - 1; n >= minRedactedPrefix; n-- {
			s = strings.ReplaceAll(s, secret[:n]+"…", "[redacted]…")
		}
	}
	return s
}

// minRedactedPrefix is the shortest start of a credential removed before an
// ellipsis: shorter ones say nothing, and would match ordinary words.
const minRedactedPrefix = 4

type redactedError struct {
	text string
	err  error
}

func (e *redactedError) Error() string { return e.text }
func (e *redactedError) Unwrap() error { return e.err }
