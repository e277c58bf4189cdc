// Package examplestest runs every configuration under examples/ through the
// pinned CLIs against an in-process cerbysim, and checks the results against
// the workspace it served, so an example that stops working fails the build.
// Its tests run under TF_ACC only (make examples).
package examplestest
