//go:build !benchreadbyid

package connection

// readOneByOne is false in every real build: Read answers from the per-run listing
// of the workspace. The benchmark builds the provider with `-tags benchreadbyid` to
// measure what the listing saves (see BENCHMARKS.md).
const readOneByOne = false
