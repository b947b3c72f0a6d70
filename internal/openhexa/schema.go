package openhexa

import _ "embed"

// SchemaSDL is the part of the OpenHEXA GraphQL schema the provider relies on. The
// test server is built from the same text, so a document the client sends is
// validated exactly as the real API validates it.
//
//go:embed schema.graphql
var SchemaSDL string
