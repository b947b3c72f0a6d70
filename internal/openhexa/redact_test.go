package openhexa_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
)

// trickySecrets are values whose quoted forms differ from the value: quotes of both
// kinds, backslashes, new lines and other escapes, characters beyond ASCII, and values
// long enough for graphql-core to shorten (over 240 characters once quoted).
func trickySecrets() map[string]string {
	long := func(piece string, n int) string {
		var b strings.Builder
		for b.Len() < n {
			b.WriteString(piece)
		}
		return b.String()[:n]
	}
	return map[string]string{
		"both quotes":   `it's a "pass\word" LEAKMARKER`,
		"single quote":  `LEAKMARKER it's only 'single'`,
		"double quote":  `LEAKMARKER "double" only`,
		"escapes":       "LEAKMARKER\nline2\ttab\r\x01\x7f end",
		"unicode":       "LEAKMARKER é ü 😀 \u00a0 \u200b ☃",
		"long plain":    long("LEAKMARKER-0123456789-", 300),
		"long tricky":   long("LEAKMARKER'\"\\\n\t-x", 300),
		"long unicode":  long("LEAKMARKER é😀'\n-", 300),
		"service key":   `{"type":"service_account","private_key_id":"LEAKMARKER-id","private_key":"-----BEGIN PRIVATE KEY-----\nLEAKMARKER` + long("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/LEAKMARKER", 600) + `\n-----END PRIVATE KEY-----\n","client_email":"LEAKMARKER@p.iam.gserviceaccount.com"}`,
		"exactly short": "LEAKMARKER 'q' \"d\" \\",
	}
}

// echoes are the ways a server answer can quote a value sent to it. Those built with
// openhexatest.Inspect follow the test server's echo rules, which are graphql-core's
// (reprs, strings shortened past 240 characters), at the depths it prints strings.
func echoes(secret string) map[string]string {
	jsonOf := func(v any) string {
		raw, _ := json.Marshal(v)
		return string(raw)
	}
	field := map[string]any{"code": "k", "secret": true, "value": secret, "bogus": 1}
	return map[string]string{
		"raw":          "refused " + secret + " here",
		"repr":         "Expected a value, got " + openhexatest.Inspect(secret) + ".",
		"field":        "Variable '$input' got invalid value " + openhexatest.Inspect(field) + " at 'input.fields[0]'; Field 'bogus' is not defined by type 'ConnectionFieldInput'.",
		"list":         "Variable '$input' got invalid value " + openhexatest.Inspect([]any{secret, secret}) + " at 'input.fields'; Expected type 'ConnectionFieldInput' to be a mapping.",
		"json":         "the row " + jsonOf(field) + " was refused",
		"json in repr": "got " + openhexatest.Inspect(jsonOf(field)),
	}
}

// leftOf reports what of the secret survives in text: the marker, or any run of 20
// bytes of the value as sent, as JSON, or as a repr (of the value, and of pieces of it
// short enough not to be shortened).
func leftOf(text, secret string) string {
	if i := strings.Index(text, "LEAKMARK"); i >= 0 {
		return text[max(0, i-40):min(len(text), i+40)]
	}
	forms := []string{secret}
	if raw, err := json.Marshal(secret); err == nil {
		forms = append(forms, string(raw))
	}
	runes := []rune(secret)
	for i := 0; i < len(runes); i += 30 {
		chunk := openhexatest.Inspect(string(runes[i:min(len(runes), i+60)]))
		forms = append(forms, chunk[1:len(chunk)-1])
	}
	for _, f := range forms {
		for i := 0; i+20 <= len(f); i++ {
			if strings.Contains(text, f[i:i+20]) {
				return f[i : i+20]
			}
		}
	}
	return ""
}

// TestLeakScrubRemovesEveryFormOfASecret: every echo of every tricky secret, alone and
// with the token beside it, is scrubbed of the secret in every form.
func TestLeakScrubRemovesEveryFormOfASecret(t *testing.T) {
	for name, secret := range trickySecrets() {
		for how, text := range echoes(secret) {
			if leftOf(text, secret) == "" {
				t.Fatalf("%s/%s: the echo does not hold the secret: the test proves nothing", name, how)
			}
			got := openhexa.Scrub(text, []string{"other-secret", secret}, "tok-LEAKMARKER-token")
			if left := leftOf(got, secret); left != "" {
				t.Errorf("%s/%s: %q left in %q", name, how, left, got)
			}
			if !strings.Contains(got, "(redacted)") {
				t.Errorf("%s/%s: nothing marked as redacted in %q", name, how, got)
			}
		}
	}
}

// TestLeakScrubKeepsTheRestOfTheMessage: what is not the secret stays readable.
func TestLeakScrubKeepsTheRestOfTheMessage(t *testing.T) {
	secret := strings.Repeat(`p'a"s\s`, 50)
	text := "Variable '$input' got invalid value " + openhexatest.Inspect(map[string]any{"code": "api_key", "value": secret}) +
		" at 'input.fields[0]'; Field 'secret' of required type 'Boolean!' was not provided."
	got := openhexa.Scrub(text, []string{secret}, "tok-1234")
	for _, want := range []string{"Variable '$input' got invalid value {'code': 'api_key', 'value': '(redacted)", "(redacted)'} at 'input.fields[0]'; Field 'secret' of required type 'Boolean!' was not provided."} {
		if !strings.Contains(got, want) {
			t.Errorf("%q lacks %q", got, want)
		}
	}
}
