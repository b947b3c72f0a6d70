// Package workflows holds the checks of the provider's own GitHub workflows
// (.github/workflows, run by `make check-examples` and `make test`): which commands the
// pull-request jobs run, what the release job signs and publishes with, and that every
// action is pinned to a commit; actionlint checks their syntax. It has no code of its own.
package workflows
