package cerbysim

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkListAccountsLargeWorkspace shows serving a page of a 100k-account
// workspace costs a copy of pre-encoded bytes, not a re-encode.
func BenchmarkListAccountsLargeWorkspace(b *testing.B) {
	sim := New(Generate(1, Size{Accounts: 100_000, Members: 100, AccessPerMember: 50}), Config{})
	for _, query := range []string{"startIndex=50001&limit=100", "provider=tiktok&startIndex=5001&limit=100"} {
		b.Run(query, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, "/v1/accounts?"+query, nil)
			for b.Loop() {
				rec := httptest.NewRecorder()
				sim.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d", rec.Code)
				}
			}
		})
	}
}

func BenchmarkGenerate(b *testing.B) {
	for b.Loop() {
		Generate(1, Size{Accounts: 10_000, Members: 200, AccessPerMember: 20})
	}
}
