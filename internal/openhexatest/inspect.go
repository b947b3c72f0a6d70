package openhexatest

// Inspect quotes a decoded JSON value as the server's error messages quote bad input
// (graphql-core's inspect(): Python reprs, strings whose repr is over 240 characters
// shortened to their first 118 and last 119): for tests that check what a client
// does with such an echo.
func Inspect(v any) string { return pyInspect(v, 0) }
