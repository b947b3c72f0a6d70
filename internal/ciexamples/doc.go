// Package ciexamples holds the checks of the CI files under examples/ci (run by
// `make check-examples` and `make test`): the GitHub Actions workflow and the GitLab CI
// file are parsed and their jobs asserted, since actionlint checks only the workflow's
// syntax, and nothing checks the GitLab file's. It has no code of its own.
package ciexamples
