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
//	  },
//	  "teams": [ { "id": "…", "attributes": { "name": "…", "type": "scim_managed", … }, "omit": ["…"],
//	               "memberIdAs": "memberId",
//	               "members": [ { "id": "<memberId>", "role": "admin", "membershipId": "…",
//	                              "memberIdAs": "member_id", "omit": ["…"] } ],
//	               "accounts": ["<accountId>", …] } ],
//	  "vaults": [ { "id": "…", "attributes": { "name": "…", "scheme": "kms_byo", … }, "omit": ["…"] } ],
//	  "integrations": [ { "id": "…", "attributes": { "label": "…", "application": "youtube_tenant", … },
//	                      "omit": ["…"],
//	                      "users": [ { "id": "…", "attributes": { "email": "…", "entitlements": [ … ], … },
//	                                   "meta": { "dynamicFields": { … } }, "omit": ["…"] } ] } ]
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
// answer, stay what they were before the Cerby API existed. A member's
// "mfaStatus" may be written null there: it is then null even when asked
// for.
//
// "teams", "vaults" and "integrations" are optional and only the Cerby API
// serves them, written as served: an "id" (non-empty, unique in its list)
// and "attributes", served in their order exactly as written (null, unknown
// keys, timestamps of any shape, entitlements of any shape: JSON:API
// resources {"id","type":"entitlement","attributes":{…}}, flat objects, or
// bare key strings), less the attributes "omit" names. A seat's "meta" is
// the resource's meta, served as written when present (null included). Every
// other key is an error, as in the rest of the file. A team lists:
//
//   - "members": workspace member ids (each must be one) with a "role"
//     (admin or member; left out when empty), served as "team_member"
//     resources where "memberIdAs" says, the member's own or else the
//     team's: "memberId" (the default: attributes memberId and memberType
//     "user"), "member_id" (member_id and member_type, as the POST body
//     spells them) or "id" (the resource id alone, attributes just role).
//     In the first two the resource id is "membershipId", or
//     "<team id>:<member id>" when it is not written. "omit" on a member
//     leaves out any of its attributes.
//   - "accounts": account ids (each must be one), served by
//     /teams/{id}/accounts as /accounts serves them.
//
// Generate fills all three: six teams of
// both types, the first four being the teams the accounts' teamIds name with
// those accounts, in every member id shape, one with members and no
// accounts, one empty; four vaults, one local_encryption_key and the others
// kms_byo or akv; three *_tenant integrations whose seats (workspace
// members, a disabled one among them when there is one) carry entitlements
// in each of the three shapes and meta.dynamicFields. Most live members have
// enrolled MFA, at least one has not, and the first pending member's
// mfaStatus is null.
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
//   - /teams (paged), /teams/{id}; /teams/{id}/members and
//     /teams/{id}/accounts (paged; the latter filtered like /accounts), only
//     announced in release notes: CerbyAPIOptions.TeamMembers and
//     TeamAccounts make them answer 404 or 405 instead, whatever the id.
//   - /vaults (paged); there is no /vaults/{id}.
//   - /integrations (paged), /integrations/{id}, /integrations/{id}/users
//     (paged; V1's /user is a slip and answers 404 like any unknown path):
//     CerbyAPIOptions.IntegrationUsers makes the seats answer 404 or 405
//     for an integration that exists too.
//
// Lists answer {"data": [...], "links": {"self", "next", "previous"},
// "meta": {"page": {"maxSize": 100, "total": n}}}, by id {"data": {...}};
// items are {"id", "type", "attributes"} with type "account" (integrations
// too), "user" (seats too), "team", "team_member" or "vault"; a seat may
// carry "meta" after its attributes. Account
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
//     then an endpoint needing one the key lacks answers 401 naming it:
//     accounts need read:items:accounts or read:items; users read:users; a
//     member's accounts both; teams, a team and its members read:users or
//     read:teams; a team's accounts that and an accounts scope; vaults
//     read:vaults; integrations read:integrations, their seats read:users
//     too. The key's owner has no workspace role here, so the Admin rule of
//     users, teams and vaults is not applied, and local vaults are listed
//     like cloud ones (Cerby's text and its example disagree).
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
//   - Account and user timestamps are served in UTC with a "+00:00" offset
//     (a Read API timestamp without a zone is taken as UTC), with
//     microseconds when the Read API's had a fraction. Those of teams,
//     vaults, integrations and seats are served as written.
//   - The between-pages faults insert made-up teams, vaults, integrations,
//     team members (of made-up user ids) and seats, as they do accounts and
//     members; a team's accounts change with the workspace's, as a member's
//     do.
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
