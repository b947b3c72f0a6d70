package openhexa

import (
	"strings"
	"testing"
)

func TestLeakScrubRemovesPartsOfJSONSecrets(t *testing.T) {
	key := `{"type":"service_account","client_email":"etl@p.iam.gserviceaccount.com",` +
		`"private_key":"-----BEGIN PRIVATE KEY-----\nLEAKMARKER-line\n-----END PRIVATE KEY-----\n"}`
	text := "refused LEAKMARKER-line and etl@p.iam.gserviceaccount.com; whole: " + key + " token tok-1234"
	got := scrub(text, []string{key, "short", "plain-secret"}, "tok-1234")
	for _, bad := range []string{"LEAKMARKER", "etl@p.iam", "private_key", "tok-1234"} {
		if strings.Contains(got, bad) {
			t.Fatalf("scrub left %q in %q", bad, got)
		}
	}
	if !strings.HasPrefix(got, "refused (redacted) and (redacted); whole: (redacted) token (redacted)") {
		t.Fatalf("scrub = %q", got)
	}
	if got := scrub("a plain-secret b", []string{"plain-secret", "{not json"}, ""); got != "a (redacted) b" {
		t.Fatalf("scrub = %q", got)
	}
}
