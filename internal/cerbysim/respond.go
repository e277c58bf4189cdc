package cerbysim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
)

// The error bodies below use the different shapes the contract says clients
// meet, so a client's error parsing is exercised on all of them.

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
