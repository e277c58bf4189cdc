package cerbysim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// The error bodies below use the different shapes the contracts say clients
// meet, so a client's error parsing is exercised on all of them.

// apiError is one error answer, said once for both APIs: the Read API words
// it in the legacy shape named by legacy, the Cerby API in its JSON:API
// errors body (writeCerbyError).
type apiError struct {
	status int
	code   string // snake_case machine code; "" derives it from the status
	detail string
	meta   any // the Cerby API's errors[].meta (validation details); nil is null
	legacy legacyShape
}

// legacyShape is how the Read API words an apiError.
type legacyShape int

const (
	legacyDetail        legacyShape = iota // {"detail": …}
	legacyMessage                          // {"message": …}
	legacyErrors                           // {"errors": [{…, "status": 400}]}
	legacyErrorsStrings                    // {"errors": [{…, "status": "401"}]}
)

// fail answers e in the words of the API the request was for.
func (s *Server) fail(w http.ResponseWriter, a api, e apiError) {
	if a == cerbyAPI {
		writeCerbyError(w, s.cfg.CerbyAPI.Errors, e)
		return
	}
	switch e.legacy {
	case legacyMessage:
		writeMessage(w, e.status, e.detail)
	case legacyErrors, legacyErrorsStrings:
		writeErrors(w, e.status, e.code, e.detail, e.legacy == legacyErrorsStrings)
	default:
		writeDetail(w, e.status, e.detail)
	}
}

// writeErrors answers in the newer API's shape. The contract says its status
// member is sometimes a string and sometimes a number; statusAsString picks.
func writeErrors(w http.ResponseWriter, status int, code, detail string, statusAsString bool) {
	var statusValue any = status
	if statusAsString {
		statusValue = strconv.Itoa(status)
	}
	writeJSON(w, status, map[string]any{"errors": []map[string]any{{
		"code":   code,
		"title":  http.StatusText(status),
		"detail": detail,
		"status": statusValue,
	}}})
}

func writeDetail(w http.ResponseWriter, status int, detail string) {
	writeJSON(w, status, map[string]string{"detail": detail})
}

func writeMessage(w http.ResponseWriter, status int, message string) {
	writeJSON(w, status, map[string]string{"message": message})
}

// writeJSON encodes small error bodies; their maps of strings always encode.
func writeJSON(w http.ResponseWriter, status int, body any) {
	data, _ := json.Marshal(body)
	writeBody(w, status, "application/json", data)
}

// ErrorStyle picks how the Cerby API words its error bodies,
// {"errors":[{"code","title","detail","status","meta"}]}. Cerby's examples
// disagree with each other (contract/cerby-api.md, §7 and §9), so a client must read
// every variant; a test picks one, or leaves the default mix.
type ErrorStyle string

const (
	// ErrorStyleMixed, the default, follows the bodies that look captured
	// from a real server: code and title snake_case ("validation_error",
	// "unauthorized", "not_found"), status a string ("400") for 400, 401 and
	// 403 and a number for every other status, meta null or, for a
	// validation error, an object {loc, msg, type}.
	ErrorStyleMixed ErrorStyle = ""
	// ErrorStyleSnakeCase is ErrorStyleMixed with status always a string.
	ErrorStyleSnakeCase ErrorStyle = "snake"
	// ErrorStyleTitleCase follows the canned examples of Cerby's OpenAPI
	// file: code and title the status text in sentence case ("Not found",
	// "Bad request"), status a number, meta null.
	ErrorStyleTitleCase ErrorStyle = "title"
)

// ErrorStyles lists the valid styles, the default first.
var ErrorStyles = []ErrorStyle{ErrorStyleMixed, ErrorStyleSnakeCase, ErrorStyleTitleCase}

func (st ErrorStyle) valid() bool {
	for _, known := range ErrorStyles {
		if st == known {
			return true
		}
	}
	return false
}

// cerbyErrorItem keeps the members in the order Cerby's examples show.
type cerbyErrorItem struct {
	Code   string `json:"code"`
	Title  string `json:"title"`
	Detail string `json:"detail"`
	Status any    `json:"status"`
	Meta   any    `json:"meta"`
}

func writeCerbyError(w http.ResponseWriter, style ErrorStyle, e apiError) {
	code := e.code
	if code == "" {
		code = strings.ReplaceAll(strings.ToLower(http.StatusText(e.status)), " ", "_")
	}
	item := cerbyErrorItem{Code: code, Title: code, Detail: e.detail, Status: e.status, Meta: e.meta}
	switch style {
	case ErrorStyleTitleCase:
		text := strings.ToLower(http.StatusText(e.status))
		if text != "" {
			text = strings.ToUpper(text[:1]) + text[1:]
		}
		item.Code, item.Title, item.Meta = text, text, nil
	case ErrorStyleSnakeCase:
		item.Status = strconv.Itoa(e.status)
	default:
		if e.status == http.StatusBadRequest || e.status == http.StatusUnauthorized || e.status == http.StatusForbidden {
			item.Status = strconv.Itoa(e.status)
		}
	}
	writeBody(w, e.status, "application/json", encodeJSON(map[string][]cerbyErrorItem{"errors": {item}}))
}

// encodeJSON encodes without HTML escaping, so a link's "&" stays "&" as a
// Python server would send it; the values encoded here always encode.
func encodeJSON(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

const proxyErrorPage = `<!DOCTYPE html>
<html><head><title>%d %s</title></head>
<body><center><h1>%d %s</h1></center><hr><center>nginx</center></body></html>
`

func writeHTML(w http.ResponseWriter, status int) {
	text := http.StatusText(status)
	writeBody(w, status, "text/html; charset=utf-8", fmt.Appendf(nil, proxyErrorPage, status, text, status, text))
}

func writeBody(w http.ResponseWriter, status int, contentType string, body []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
