package export

// Names for the external tests, which check the files by the names the export gives.
var (
	VariableName  = variableName
	ResourceLabel = resourceLabel
)
