package client

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// NormalizeBaseURL checks a base URL for api and returns it as
// scheme://host[/prefix], without the trailing "/" and version every request
// path starts with: "/v1" on the Read API, "/api/v1" on the Cerby API (in
// any case). A bare origin is the usual form.
func NormalizeBaseURL(api API, raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", errors.New("the base URL is empty; " + httpsHint(api))
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("the base URL %q is not a valid URL; %s", raw, httpsHint(api))
	}
	if u.User != nil {
		// Not echoed: user info may hold a password.
		return "", errors.New("the base URL must not contain user info (user:password@); pass credentials as api_key or bearer_token instead")
	}
	scheme := strings.ToLower(u.Scheme)
	switch {
	case u.Opaque != "" || u.Host == "" || u.Hostname() == "":
		return "", fmt.Errorf("the base URL %q has no host; %s", raw, httpsHint(api))
	case scheme == "http" && !isLoopback(u.Hostname()):
		return "", fmt.Errorf("the base URL %q must use HTTPS; %s", raw, httpsHint(api))
	case scheme != "https" && scheme != "http":
		return "", fmt.Errorf("the base URL %q must use HTTPS; %s", raw, httpsHint(api))
	case u.RawQuery != "" || u.ForceQuery:
		return "", fmt.Errorf("the base URL %q must not have a query string (?...); remove it", raw)
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return "", fmt.Errorf("the base URL %q must not have a fragment (#...); remove it", raw)
	}
	return scheme + "://" + strings.ToLower(u.Host) + trimVersion(u.EscapedPath(), api.versionPath()), nil
}

func httpsHint(api API) string {
	example := "https://api.cerby.com"
	if api == CerbyAPI {
		example = "https://acme.cerby.com/api/v1"
	}
	return "use https://, e.g. " + example + "; plain http:// is only allowed for a loopback host (localhost, 127.0.0.1, ::1)"
}

// versionPath starts every request path of the API.
func (a API) versionPath() string {
	if a == CerbyAPI {
		return "/api/v1"
	}
	return "/v1"
}

// trimVersion drops every trailing "/" and version, so that normalizing
// twice (the provider, then the client) changes nothing. "/V1" is the
// version too: left in, every request would go to /V1/v1/...; the rest of
// the path keeps its case.
func trimVersion(path, version string) string {
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

// maxLabel is the longest DNS label.
const maxLabel = 63

// WorkspaceBaseURL is the Cerby API's host of a workspace,
// https://<workspace>.cerby.com, once the name can be that host's first
// label: letters, digits, "-" and "_" (Cerby's workspace names may hold
// underscores, which URL parsing and the certificate check accept), 1 to 63
// of them, so that no name can leave cerby.com.
func WorkspaceBaseURL(workspace string) (string, error) {
	switch {
	case workspace == "":
		return "", errors.New("the workspace is empty; set the subdomain of your Cerby web app, e.g. \"acme\" for https://acme.cerby.com")
	case len(workspace) > maxLabel:
		return "", fmt.Errorf("the workspace %q is longer than %d characters, so it cannot be a host name; set the subdomain of your Cerby web app only, e.g. \"acme\" for https://acme.cerby.com", truncate(workspace, 80), maxLabel)
	case strings.ContainsFunc(workspace, notLabelRune):
		return "", fmt.Errorf("the workspace %q cannot be a host name: it may hold only letters, digits, \"-\" and \"_\"; set the subdomain of your Cerby web app only, e.g. \"acme\" for https://acme.cerby.com (or set endpoint to a full base URL)", truncate(cleanText(workspace), 80))
	case strings.HasPrefix(workspace, "-") || strings.HasSuffix(workspace, "-"):
		return "", fmt.Errorf("the workspace %q cannot start or end with \"-\": it is the first label of a host name; set the subdomain of your Cerby web app only, e.g. \"acme\" for https://acme.cerby.com", workspace)
	}
	return "https://" + strings.ToLower(workspace) + ".cerby.com", nil
}

func notLabelRune(r rune) bool {
	return (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && (r < '0' || r > '9') && r != '-' && r != '_'
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

// The paths a client may request under its base URL, by API: the read-only
// listings and objects of the data sources. "*" is one escaped path segment
// (pathSegment). Nothing that returns a password, a secret's value or a TOTP
// code is here, so no id and no link can reach one.
var allowedPaths = map[API][]string{
	ReadAPI: {"/v1/accounts", "/v1/accounts/*", "/v1/admin/users", "/v1/users/*/accounts"},
	CerbyAPI: {
		"/api/v1/accounts", "/api/v1/accounts/*", "/api/v1/users", "/api/v1/users/*", "/api/v1/users/*/accounts",
		"/api/v1/teams", "/api/v1/teams/*", "/api/v1/teams/*/members", "/api/v1/teams/*/accounts",
		"/api/v1/vaults", "/api/v1/integrations", "/api/v1/integrations/*", "/api/v1/integrations/*/users",
	},
}

// allowed reports whether u is on the configured origin and one of the
// API's allowed paths.
func (c *Client) allowed(u *url.URL) bool {
	base, err := url.Parse(c.baseURL)
	if err != nil || !sameOrigin(u, base) || !strings.HasPrefix(u.EscapedPath(), base.EscapedPath()) {
		return false
	}
	rest := strings.Split(strings.TrimPrefix(u.EscapedPath(), base.EscapedPath()), "/")
	for _, pattern := range allowedPaths[c.api] {
		if matchSegments(strings.Split(pattern, "/"), rest) {
			return true
		}
	}
	return false
}

func matchSegments(pattern, path []string) bool {
	if len(pattern) != len(path) {
		return false
	}
	for i, p := range pattern {
		switch {
		case p == "*" && isSegment(path[i]):
		case p != path[i]:
			return false
		}
	}
	return true
}

// isSegment: an escaped id segment, not empty and not a dot segment however
// escaped.
func isSegment(escaped string) bool {
	id, err := url.PathUnescape(escaped)
	return err == nil && id != "" && id != "." && id != ".."
}

// basePath is the base URL's path prefix, "" for a bare origin.
func (c *Client) basePath() string {
	if u, err := url.Parse(c.baseURL); err == nil {
		return u.EscapedPath()
	}
	return ""
}
