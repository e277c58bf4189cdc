// Package clitest drives the pinned terraform and tofu binaries against a
// real build of this provider, through dev_overrides and without init (init
// would query a registry these machines cannot reach). Tests that need a CLI
// run only under TF_ACC (RequireAcc); there, a missing CLI fails the test.
//
// Call Main from the package's TestMain so the provider build is removed when
// the test binary exits.
package clitest
