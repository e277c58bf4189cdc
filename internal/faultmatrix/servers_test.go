package faultmatrix

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The purpose-built servers below make faults cerbysim cannot: they sit in
// front of it (so later requests still get the simulator's data) or replace it.

// resetMidBody answers the first n requests with a 200 whose body, a page of
// a's, stops halfway, then resets the connection; later requests reach next.
func resetMidBody(a api, n int) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		var served atomic.Int64
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if served.Add(1) > int64(n) {
				next.ServeHTTP(w, r)
				return
			}
			conn, _, err := http.NewResponseController(w).Hijack()
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			fmt.Fprint(conn, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n"+a.pageStart)
			// Let the client read the head and half a body before the reset.
			time.Sleep(100 * time.Millisecond)
			if tcp, ok := conn.(*net.TCPConn); ok {
				_ = tcp.SetLinger(0) // close with RST, not FIN
			}
			_ = conn.Close()
		})
	}
}

// rewriteBody passes every request to next and changes the body of its
// answer, keeping the status and a Content-Length that matches.
func rewriteBody(change func([]byte) []byte) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			body := change(rec.Body.Bytes())
			w.Header().Set("Content-Type", rec.Header().Get("Content-Type"))
			w.Header().Set("Content-Length", fmt.Sprint(len(body)))
			w.WriteHeader(rec.Code)
			_, _ = w.Write(body)
		})
	}
}

// truncated cuts a body in half, as a proxy that gave up mid-stream but
// framed what it had would.
func truncated(body []byte) []byte { return body[:len(body)/2] }

// wrongShape renames the list's key: valid JSON, but not a listing.
func wrongShape(a api) func([]byte) []byte {
	return func(body []byte) []byte {
		return bytes.Replace(body, []byte(`"`+a.listKey+`":`), []byte(`"results":`), 1)
	}
}

// loginPage answers 200 with an HTML page, as a single-sign-on proxy does.
func loginPage(http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!DOCTYPE html><html><head><title>Sign in - Corporate SSO</title></head><body><form action="/login"></form></body></html>`)
	})
}

// bodyLimitMiB is the client's limit on a response body.
const bodyLimitMiB = 64

// oversized streams a JSON listing of a's larger than the client's body
// limit.
func oversized(a api) func(http.Handler) http.Handler {
	return func(http.Handler) http.Handler { return oversizedPage(a) }
}

func oversizedPage(a api) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, a.accountStart)
		chunk := []byte(strings.Repeat("x", 1<<20))
		for range bodyLimitMiB + 1 {
			if _, err := w.Write(chunk); err != nil {
				return // the client stopped reading at its limit
			}
		}
		fmt.Fprint(w, a.accountEnd)
	})
}

// silent accepts connections and never answers on them.
func silent(t *testing.T) target {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var held []net.Conn
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			held = append(held, conn)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, conn := range held {
			_ = conn.Close()
		}
	})
	return target{url: "http://" + ln.Addr().String()}
}

// arrivals closes arrived when the first request reaches next.
func arrivals(arrived chan<- struct{}) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		var once sync.Once
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			once.Do(func() { close(arrived) })
			next.ServeHTTP(w, r)
		})
	}
}

// requestLog is a server that must receive nothing: it answers 418 and keeps
// what it was sent, credentials recorded only as present or absent.
type requestLog struct {
	url      string // scheme and host, as a link to it would start
	mu       sync.Mutex
	requests []string
	keys     int // requests that carried an X-API-Key or Authorization header
}

func newRequestLog(t *testing.T) *requestLog {
	t.Helper()
	l := &requestLog{}
	l.url = listen(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.mu.Lock()
		l.requests = append(l.requests, r.Method+" "+r.URL.RequestURI())
		if r.Header.Get("X-API-Key") != "" || r.Header.Get("Authorization") != "" {
			l.keys++
		}
		l.mu.Unlock()
		http.Error(w, "this server must receive nothing", http.StatusTeapot)
	}))
	return l
}

// seen is what the server received, and how many of those carried a key.
func (l *requestLog) seen() ([]string, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.requests...), l.keys
}

// switchover sends the first n requests to first and every later one to
// then, as a server whose fault lasts a moment.
func switchover(n int, first, then http.Handler) http.Handler {
	var served atomic.Int64
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if served.Add(1) <= int64(n) {
			first.ServeHTTP(w, r)
			return
		}
		then.ServeHTTP(w, r)
	})
}
