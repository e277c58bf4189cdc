// Package leaktest holds the leak matrix: acceptance tests that run the real
// CLIs (internal/clitest) against cerbysim and search everything they produce
// (TF_LOG=TRACE logs, diagnostics, state, plan JSON, outputs) for the
// credentials, and prove what reaches the network: no credential on a
// redirect to another host, no request path or parameter a value could
// change, HTTPS_PROXY and NO_PROXY honoured.
package leaktest
