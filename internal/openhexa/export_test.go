package openhexa

// Scrub is scrub, for the redaction tests of package openhexa_test (which use the
// test server's echo rules, and the test server imports this package).
var Scrub = scrub
