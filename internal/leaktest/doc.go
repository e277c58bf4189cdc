// Package leaktest holds the leak matrix: acceptance tests that run the real
// CLIs (internal/clitest) against cerbysim, through the legacy Read API and
// the Cerby API, and search everything they produce (TF_LOG=TRACE logs,
// diagnostics, state, plan JSON, outputs, crash logs) for the credentials,
// and prove what reaches the network: no credential on a redirect to
// another host, no request to a links.next on another host, no request path
// or parameter a value could change, no host contacted but the endpoint to
// find out which API a key is for, HTTPS_PROXY and NO_PROXY honoured.
package leaktest
