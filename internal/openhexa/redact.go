package openhexa

import (
	"encoding/json"
	"strings"
)

// secretParts returns the secret and, when it is a JSON document (a GCS
// service-account key), every string inside it: a server that quotes a part of
// a secret back (its private_key) must not get that part into an error either.
func secretParts(secret string) []string {
	out := []string{secret}
	trimmed := strings.TrimSpace(secret)
	if !strings.HasPrefix(trimmed, "{") && !strings.HasPrefix(trimmed, "[") {
		return out
	}
	var doc any
	if json.Unmarshal([]byte(trimmed), &doc) != nil {
		return out
	}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			out = append(out, v)
			if strings.Contains(v, "\n") { // a PEM key: each of its lines
				out = append(out, strings.Split(v, "\n")...)
			}
		case map[string]any:
			for _, e := range v {
				walk(e)
			}
		case []any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	walk(doc)
	return out
}
