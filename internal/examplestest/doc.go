// Package examplestest runs every configuration under examples/ through the
// pinned CLIs against an in-process cerbysim, on each of the two APIs (the
// Read API under /v1 and the Cerby API under /api/v1, the provider pointed at
// one by CERBY_ENDPOINT), and checks the results against the workspace as
// that API serves it, so an example that stops working on either fails the
// build. An example meant for one API only is planned on the other to check
// that the arguments it refuses are the ones the table says. Its tests run
// under TF_ACC only (make examples).
package examplestest
