package export

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// Every file the export writes (but .gitignore, which it only appends to) starts
// with a marker line holding a checksum of the rest of the file. A file whose
// marker checks out is the export's own and unchanged since: a later run may
// rewrite it, keeping all it holds. Any other file, edited own files included, is
// the user's and never changed.
const markerPrefix = "# Written by terraform-provider-openhexa export (sha256:"

const markerSuffix = "); a later export adds to it only while it is unchanged."

// withMarker prefixes content with the marker line that vouches for it.
func withMarker(content []byte) []byte {
	sum := sha256.Sum256(content)
	return append([]byte(markerPrefix+hex.EncodeToString(sum[:])+markerSuffix+"\n"), content...)
}

// ownUnchanged returns the content after the marker when src is an own file that
// nobody changed since the export wrote it.
func ownUnchanged(src []byte) ([]byte, bool) {
	first, rest, found := bytes.Cut(src, []byte("\n"))
	if !found {
		return nil, false
	}
	line := string(first)
	if !strings.HasPrefix(line, markerPrefix) || !strings.HasSuffix(line, markerSuffix) {
		return nil, false
	}
	want := strings.TrimSuffix(strings.TrimPrefix(line, markerPrefix), markerSuffix)
	sum := sha256.Sum256(rest)
	return rest, want == hex.EncodeToString(sum[:])
}
