// Package cerbysim serves a local imitation of Cerby's two read APIs over
// one workspace, for demos, examples, benchmarks and fault tests: the legacy
// Read API under /v1, as contract/read-api.md at the repository root
// describes it, and the Cerby API under /api/v1 (CerbyAPIPrefix), as
// contract/cerby-api.md describes it. Both answer at once, from the same
// accounts and members. It is written against the contracts alone, not
// against our client, so that it can catch the client's mistakes.
//
// # Workspace file
//
// LoadWorkspace reads a JSON file of this shape:
//
//	{
//	  "accounts": [ { "id": "…", "name": "…", …any account keys… } ],
//	  "members":  [ { "id": "…", "firstName": "…", …any member keys… } ],
//	  "access":   { "<memberId>": ["<accountId>", …] },
//	  "cerbyApi": {
//	    "accounts": { "<accountId>": { "attributes": { … }, "omit": ["…"] } },
//	    "members":  { "<memberId>":  { "attributes": { "mfaStatus": { … } }, "omit": ["…"] } }
//	  }
//	}
//
// Accounts and members are Read API objects, served by the Read API exactly
// as written: key order, nulls, unknown keys and alternative shapes
// (createdBy as an id or an object, domains as a string, an object or null)
// are kept. Only "id" is required, and ids must be unique. A few extra keys,
// which the Read API serves like any other unknown key, drive filters the
// API exposes but does not describe:
//
//   - accounts: "appId" (string) for the app filter, "collectionIds" and
//     "teamIds" (arrays of strings) for the collections and teamIds filters;
//   - members: "onlyInIdp" (bool) marks a user who is in the identity provider
//     but not yet in the workspace.
//
// "cerbyApi" is optional and only the Cerby API reads it: per account or
// member, attributes added to those mapped from the Read API object (or
// replacing one of the same name), and attributes to leave out. Generate
// fills it (hasPasskey, lastPasswordChange, mfaStatus, and some attributes
// left out, drawn from the seed), so the Read API objects, and every Read API
// answer, stay what they were before the Cerby API existed.
//
// # The Cerby API
//
// GET only (any other method answers 405), with an X-API-Key header; the
// endpoints:
//
//   - /accounts: page[number], page[size], filter[application] and
//     filter[status] (comma lists or repeated keys, a match on any value);
//     /accounts/{id}.
//   - /users: paging, filter (a case-insensitive part of the full name or of
//     the email), filter[status], filter[isGuest], mfaStatus; /users/{id}
//     (mfaStatus too).
//   - /users/{id}/accounts: the accounts the member reaches (the workspace's
//     "access"), paged and filtered like /accounts. Only a third party
//     reports this endpoint; CerbyAPIOptions.UserAccounts makes it answer
//     404 or 405 instead.
//
// Lists answer {"data": [...], "links": {"self", "next", "previous"},
// "meta": {"page": {"maxSize": 100, "total": n}}}, by id {"data": {...}};
// items are {"id", "type": "account" or "user", "attributes"}. Account
// attributes are mapped from the Read API object as contract/cerby-api.md,
// §5.1, says (label from name, application from provider, lastLoginBy from
// lastLoginUserName, cerbyManagedEmail and cerbyManagedPhone from
// isEmailManaged and isPhoneManaged, hasTotp from hasTotpVirtualDevice,
// createdBy the creator's id, avatarUrl from avatar_url, createdByEmail from
// a createdBy object, the rest by their own names); user attributes as §5.2
// says. Read API keys with no Cerby API counterpart are not served there.
// Workspace.CerbyAPIAccount and CerbyAPIUser return what is served.
//
// # Server behaviour where the contracts are silent
//
// The Read API:
//
//   - limit and count are capped at MaxPageSize (100); the envelope reports
//     the size actually used.
//   - provider honours only the first value of a csv, as the real service
//     appears to.
//   - A request carrying X-API-Key is judged by that key alone; the bearer
//     token is consulted only when no X-API-Key header is sent. A Config with
//     neither credential accepts every request.
//   - onlyInIdp=true lists only the members flagged onlyInIdp; otherwise
//     they are left out.
//   - The role filter accepts account_owner for an account whose role is
//     "owner" (and likewise for manager and collaborator).
//   - Listings are in workspace order (generated workspaces are in creation
//     order). Unknown query parameters, sortBy included, are ignored.
//
// The Cerby API:
//
//   - The key has no owner here, so by default /accounts lists every
//     account, not only those the key's owner holds the Owner role on as the
//     real API does: the two APIs then list the same accounts, which is what
//     tests compare. CerbyAPIOptions.OwnerOnly applies the rule, taking the
//     Read API's caller for the key's owner (its "role" on the account is
//     owner or account_owner); a member's accounts are never limited so.
//   - Scopes are not checked unless CerbyAPIOptions.Scopes lists the key's;
//     then an endpoint needing one the key lacks answers 401 naming it.
//   - The key is Config.APIKey, the Read API's; the header name may be in
//     any case. A bearer token is never a credential here: a request with
//     Authorization and no X-API-Key answers 401 even on a server with no
//     credential configured, which otherwise accepts every request.
//     Cerby-Workspace is ignored (the real API picks the workspace by host
//     name) and RequireWorkspace does not apply.
//   - page[size] outside 1..100, page[number] below 1 or above a billion,
//     a filter[status] value not in its list, a filter[isGuest] or
//     mfaStatus that is not a boolean answer 400 validation_error naming the
//     parameter in meta.loc. page[size] defaults to 25.
//   - Links are root-relative, carry every parameter of the request with
//     page[number] and page[size] set, and are encoded as url.Values.Encode
//     encodes (brackets as %5B and %5D). next is null on the last page of the
//     items, previous on page 1; a page past the end is empty, with next
//     null. The total faults change meta.page.total, never the links.
//   - mfaStatus is null unless mfaStatus=true is sent; then it is the
//     member's "mfaStatus" extra, or null without one.
//   - Members only in the identity provider are not users: never listed,
//     404 by id and for their accounts.
//   - Unknown query parameters, the Read API's included, are ignored (and
//     kept in the links).
//   - Timestamps are served in UTC with a "+00:00" offset (a Read API
//     timestamp without a zone is taken as UTC), with microseconds when the
//     Read API's had a fraction.
//   - Error bodies are {"errors": [{"code", "title", "detail", "status",
//     "meta"}]}, shaped by CerbyAPIOptions.Errors (ErrorStyle): by default
//     snake_case codes with status a string for 400, 401 and 403 and a
//     number otherwise.
//   - No endpoint returns a password, a secret's value or a TOTP code:
//     /accounts/{id}/secrets, /secrets and the rest answer 404 like any path
//     not listed above.
//
// # Faults
//
// Faults act in front of both APIs' routes, so each acts on both; the
// Cerby API words their errors in its own shape. Faults says how the
// listing faults read page numbers, and which faults act on the Cerby API's
// links alone.
package cerbysim
