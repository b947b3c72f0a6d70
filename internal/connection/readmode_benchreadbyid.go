//go:build benchreadbyid

package connection

// readOneByOne makes Read send one connection(id) request per resource, as most
// providers do. Only the benchmark builds with it (`-tags benchreadbyid`), to compare.
const readOneByOne = true
