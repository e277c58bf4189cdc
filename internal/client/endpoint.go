package client

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

const httpsHint = "use https://, e.g. https://api.cerby.com; plain http:// is only allowed for a loopback host (localhost, 127.0.0.1, ::1)"

// NormalizeBaseURL checks a base URL and returns it as scheme://host[/prefix]
// without a trailing "/" or "/v1" (in any case): every endpoint path starts
// with /v1.
func NormalizeBaseURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", errors.New("the base URL is empty; " + httpsHint)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("the base URL %q is not a valid URL; %s", raw, httpsHint)
	}
	if u.User != nil {
		// Not echoed: user info may hold a password.
		return "", errors.New("the base URL must not contain user info (user:password@); pass credentials as api_key or bearer_token instead")
	}
	scheme := strings.ToLower(u.Scheme)
	switch {
	case u.Opaque != "" || u.Host == "" || u.Hostname() == "":
		return "", fmt.Errorf("the base URL %q has no host; %s", raw, httpsHint)
	case scheme == "http" && !isLoopback(u.Hostname()):
		return "", fmt.Errorf("the base URL %q must use HTTPS; %s", raw, httpsHint)
	case scheme != "https" && scheme != "http":
		return "", fmt.Errorf("the base URL %q must use HTTPS; %s", raw, httpsHint)
	case u.RawQuery != "" || u.ForceQuery:
		return "", fmt.Errorf("the base URL %q must not have a query string (?...); remove it", raw)
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return "", fmt.Errorf("the base URL %q must not have a fragment (#...); remove it", raw)
	}
	return scheme + "://" + strings.ToLower(u.Host) + trimV1(u.EscapedPath()), nil
}

// trimV1 drops every trailing "/" and "/v1", so that normalizing twice (the
// provider, then the client) changes nothing. "/V1" is the version too: left
// in, every request would go to /V1/v1/...; the rest of the path keeps its
// case.
func trimV1(path string) string {
	const version = "/v1"
	for {
		trimmed := strings.TrimRight(path, "/")
		if n := len(trimmed) - len(version); n >= 0 && strings.EqualFold(trimmed[n:], version) {
			trimmed = trimmed[:n]
		}
		if trimmed == path {
			return path
		}
		path = trimmed
	}
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// sameOrigin compares scheme and host:port, the default port made explicit.
func sameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(hostPort(a), hostPort(b))
}

func hostPort(u *url.URL) string {
	if port := u.Port(); port != "" {
		return u.Host
	}
	if strings.EqualFold(u.Scheme, "http") {
		return net.JoinHostPort(u.Hostname(), "80")
	}
	return net.JoinHostPort(u.Hostname(), "443")
}

// pathSegment escapes an id for use as one path segment, so that no id can
// change which endpoint is called.
func pathSegment(what, id string) (string, error) {
	switch strings.TrimSpace(id) {
	case "":
		return "", fmt.Errorf("the %s must not be empty", what)
	case ".", "..":
		return "", fmt.Errorf("the %s %q is not a valid id", what, id)
	}
	return url.PathEscape(id), nil
}
