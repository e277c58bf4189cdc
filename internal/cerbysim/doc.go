// Package cerbysim serves a local imitation of the Cerby Read API, as
// contract/read-api.md at the repository root describes it, for demos,
// examples, benchmarks and fault tests. It is written against the contract
// alone, not against our client, so that it can catch the client's mistakes.
//
// # Workspace file
//
// LoadWorkspace reads a JSON file of this shape:
//
//	{
//	  "accounts": [ { "id": "…", "name": "…", …any account keys… } ],
//	  "members":  [ { "id": "…", "firstName": "…", …any member keys… } ],
//	  "access":   { "<memberId>": ["<accountId>", …] }
//	}
//
// Accounts and members are served exactly as written: key order, nulls,
// unknown keys and alternative shapes (createdBy as an id or an object,
// domains as a string, an object or null) are kept. Only "id" is required,
// and ids must be unique. A few extra keys, which are served like any other
// unknown key, drive filters the API exposes but does not describe:
//
//   - accounts: "appId" (string) for the app filter, "collectionIds" and
//     "teamIds" (arrays of strings) for the collections and teamIds filters;
//   - members: "onlyInIdp" (bool) marks a user who is in the identity provider
//     but not yet in the workspace.
//
// # Server behaviour where the contract is silent
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
package cerbysim
