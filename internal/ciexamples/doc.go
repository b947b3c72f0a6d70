// Package ciexamples holds the checks of the CI files under examples/ci (run by
// `make check-examples` and `make test`): the GitHub Actions workflow and the GitLab CI
// file are parsed and their least privilege asserted (which job reads which token and
// secret, concurrency, pinning), since actionlint checks only the workflow's syntax and
// nothing checks the GitLab file's; and the workflow's jobs are run against the test
// server as GitHub would run them. It has no code of its own.
package ciexamples
