package openhexa_test

import (
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
)

// Answers recorded from the real OpenHEXA (upstream 88f10ad, graphql-core 3, on loopback,
// 2026-12-03) to createConnection requests whose variables were malformed around a fake
// secret holding quotes of both kinds, backslashes, new lines, tabs, a letter beyond ASCII
// and, for one, 300 characters: an unknown field beside it, a missing code, the secret
// where a list of fields was expected, as the type, as the secret flag. The server echoes
// it as a Python repr (shortened to its first 118 and last 119 characters past 240), and
// raw inside an enum's message.
const (
	recordedShort = "FAKESECRET it's a \"pass\\word\"\n"
	recordedLong  = "FAKESECRET it's a \"pass\\word\"\nline2\tFAKESECRET'\"\\\n-éFAKESECRET'\"\\\n-éFAKESECRET'\"\\\n-éFAKESECRET'\"\\\n-éFAKESECRET'\"\\\n-éFAKESECRET'\"\\\n-éFAKESECRET'\"\\\n-éFAKESECRET'\"\\\n-éFAKESECRET'\"\\\n-éFAKESECRET'\"\\\n-éFAKESECRET'\"\\\n-éFAKESECRET'\"\\\n-éFAKESECRET'\"\\\n-éFAKESECRET'\"\\\n-éFAKESECRET'\"\\\n-éFAKESECRET'\"\\\n-éFAKESECR"
)

var recordedAnswers = []struct{ name, secret, message string }{
	{"long/unknown field", recordedLong, "Variable '$input' got invalid value {'code': 'k', 'value': 'FAKESECRET it\\'s a \"pass\\\\word\"\\nline2\\tFAKESECRET\\'\"\\\\\\n-éFAKESECRET\\'\"\\\\\\n-éFAKESECRET\\'\"\\\\\\n-éFAKESECRET\\'\"\\\\\\n-éF...SECRET\\'\"\\\\\\n-éFAKESECRET\\'\"\\\\\\n-éFAKESECRET\\'\"\\\\\\n-éFAKESECRET\\'\"\\\\\\n-éFAKESECRET\\'\"\\\\\\n-éFAKESECRET\\'\"\\\\\\n-éFAKESECR', 'secret': True, 'bogus': 1} at 'input.fields[0]'; Field 'bogus' is not defined by type 'ConnectionFieldInput'."},
	{"long/missing code", recordedLong, "Variable '$input' got invalid value {'value': 'FAKESECRET it\\'s a \"pass\\\\word\"\\nline2\\tFAKESECRET\\'\"\\\\\\n-éFAKESECRET\\'\"\\\\\\n-éFAKESECRET\\'\"\\\\\\n-éFAKESECRET\\'\"\\\\\\n-éF...SECRET\\'\"\\\\\\n-éFAKESECRET\\'\"\\\\\\n-éFAKESECRET\\'\"\\\\\\n-éFAKESECRET\\'\"\\\\\\n-éFAKESECRET\\'\"\\\\\\n-éFAKESECRET\\'\"\\\\\\n-éFAKESECR', 'secret': True} at 'input.fields[0]'; Field 'code' of required type 'String!' was not provided."},
	{"long/fields not a list of objects", recordedLong, "Variable '$input' got invalid value 'FAKESECRET it\\'s a \"pass\\\\word\"\\nline2\\tFAKESECRET\\'\"\\\\\\n-éFAKESECRET\\'\"\\\\\\n-éFAKESECRET\\'\"\\\\\\n-éFAKESECRET\\'\"\\\\\\n-éF...SECRET\\'\"\\\\\\n-éFAKESECRET\\'\"\\\\\\n-éFAKESECRET\\'\"\\\\\\n-éFAKESECRET\\'\"\\\\\\n-éFAKESECRET\\'\"\\\\\\n-éFAKESECRET\\'\"\\\\\\n-éFAKESECR' at 'input.fields'; Expected type 'ConnectionFieldInput' to be a mapping."},
	{"long/enum", recordedLong, "Variable '$input' got invalid value 'FAKESECRET it\\'s a \"pass\\\\word\"\\nline2\\tFAKESECRET\\'\"\\\\\\n-éFAKESECRET\\'\"\\\\\\n-éFAKESECRET\\'\"\\\\\\n-éFAKESECRET\\'\"\\\\\\n-éF...SECRET\\'\"\\\\\\n-éFAKESECRET\\'\"\\\\\\n-éFAKESECRET\\'\"\\\\\\n-éFAKESECRET\\'\"\\\\\\n-éFAKESECRET\\'\"\\\\\\n-éFAKESECRET\\'\"\\\\\\n-éFAKESECR' at 'input.type'; Value 'FAKESECRET it's a \"pass\\word\"\nline2\tFAKESECRET'\"\\\n-éFAKESECRET'\"\\\n-éFAKESECRET'\"\\\n-éFAKESECRET'\"\\\n-éFAKESECRET'\"\\\n-éFAKESECRET'\"\\\n-éFAKESECRET'\"\\\n-éFAKESECRET'\"\\\n-éFAKESECRET'\"\\\n-éFAKESECRET'\"\\\n-éFAKESECRET'\"\\\n-éFAKESECRET'\"\\\n-éFAKESECRET'\"\\\n-éFAKESECRET'\"\\\n-éFAKESECRET'\"\\\n-éFAKESECRET'\"\\\n-éFAKESECR' does not exist in 'ConnectionType' enum."},
	{"long/boolean", recordedLong, "Variable '$input' got invalid value 'FAKESECRET it\\'s a \"pass\\\\word\"\\nline2\\tFAKESECRET\\'\"\\\\\\n-éFAKESECRET\\'\"\\\\\\n-éFAKESECRET\\'\"\\\\\\n-éFAKESECRET\\'\"\\\\\\n-éF...SECRET\\'\"\\\\\\n-éFAKESECRET\\'\"\\\\\\n-éFAKESECRET\\'\"\\\\\\n-éFAKESECRET\\'\"\\\\\\n-éFAKESECRET\\'\"\\\\\\n-éFAKESECRET\\'\"\\\\\\n-éFAKESECR' at 'input.fields[0].secret'; Boolean cannot represent a non boolean value: 'FAKESECRET it\\'s a \"pass\\\\word\"\\nline2\\tFAKESECRET\\'\"\\\\\\n-éFAKESECRET\\'\"\\\\\\n-éFAKESECRET\\'\"\\\\\\n-éFAKESECRET\\'\"\\\\\\n-éF...SECRET\\'\"\\\\\\n-éFAKESECRET\\'\"\\\\\\n-éFAKESECRET\\'\"\\\\\\n-éFAKESECRET\\'\"\\\\\\n-éFAKESECRET\\'\"\\\\\\n-éFAKESECRET\\'\"\\\\\\n-éFAKESECR'"},
	{"short/unknown field", recordedShort, "Variable '$input' got invalid value {'code': 'k', 'value': 'FAKESECRET it\\'s a \"pass\\\\word\"\\n', 'secret': True, 'bogus': 1} at 'input.fields[0]'; Field 'bogus' is not defined by type 'ConnectionFieldInput'."},
	{"short/missing code", recordedShort, "Variable '$input' got invalid value {'value': 'FAKESECRET it\\'s a \"pass\\\\word\"\\n', 'secret': True} at 'input.fields[0]'; Field 'code' of required type 'String!' was not provided."},
	{"short/fields not a list of objects", recordedShort, "Variable '$input' got invalid value 'FAKESECRET it\\'s a \"pass\\\\word\"\\n' at 'input.fields'; Expected type 'ConnectionFieldInput' to be a mapping."},
	{"short/enum", recordedShort, "Variable '$input' got invalid value 'FAKESECRET it\\'s a \"pass\\\\word\"\\n' at 'input.type'; Value 'FAKESECRET it's a \"pass\\word\"\n' does not exist in 'ConnectionType' enum."},
	{"short/boolean", recordedShort, "Variable '$input' got invalid value 'FAKESECRET it\\'s a \"pass\\\\word\"\\n' at 'input.fields[0].secret'; Boolean cannot represent a non boolean value: 'FAKESECRET it\\'s a \"pass\\\\word\"\\n'"},
}

// TestLeakScrubRemovesSecretsFromRecordedAnswers: every answer the real server gave is
// scrubbed of every form of the secret it echoed.
func TestLeakScrubRemovesSecretsFromRecordedAnswers(t *testing.T) {
	for _, a := range recordedAnswers {
		marked := strings.ReplaceAll(a.message, "FAKESECRET", "LEAKMARKER")
		secret := strings.ReplaceAll(a.secret, "FAKESECRET", "LEAKMARKER")
		if leftOf(marked, secret) == "" {
			t.Fatalf("%s: the recorded answer does not hold the secret: the test proves nothing", a.name)
		}
		got := openhexa.Scrub(marked, []string{secret}, "tok-1234")
		if left := leftOf(got, secret); left != "" {
			t.Errorf("%s: %q left in %q", a.name, left, got)
		}
		if !strings.HasPrefix(got, "Variable '$input' got invalid value ") {
			t.Errorf("%s: the message lost its beginning: %q", a.name, got)
		}
	}
}
