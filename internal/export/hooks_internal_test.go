package export

// Names for the external tests, which check the files by the names the export gives
// (and write files as an earlier export did).
var (
	VariableName  = variableName
	ResourceLabel = resourceLabel
	WithMarker    = withMarker
)
