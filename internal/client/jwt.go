package client

import (
	"encoding/base64"
	"encoding/json"
	"math"
	"strings"
	"time"
)

// BearerTokenExpiry reads the exp claim of a JWT without checking its
// signature: enough to report an expired token before any request. ok is
// false for an opaque token or a JWT without a usable exp.
func BearerTokenExpiry(token string) (exp time.Time, ok bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return time.Time{}, false
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return time.Time{}, false
	}
	var claims struct {
		Exp *float64 `json:"exp"`
	}
	if json.Unmarshal(payload, &claims) != nil || claims.Exp == nil {
		return time.Time{}, false
	}
	// Positive and below 2^53: beyond that the value is garbage, not a date.
	if secs := *claims.Exp; secs > 0 && secs < 1<<53 {
		whole, frac := math.Modf(secs)
		return time.Unix(int64(whole), int64(frac*1e9)).UTC(), true
	}
	return time.Time{}, false
}
