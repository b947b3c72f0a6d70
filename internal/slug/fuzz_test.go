package slug

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

var (
	derivedSlugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	djangoSlugRE  = regexp.MustCompile(`^[-a-zA-Z0-9_]+$`)
)

// FuzzDerive checks the properties callers rely on: a derived slug is a
// clean lowercase slug the server accepts, and deriving is idempotent (the
// provider compares a derived slug with the one the server reports).
func FuzzDerive(f *testing.F) {
	for _, seed := range []string{
		"",
		"My Connection",
		"C'est déjà l'été.",
		"Я ♥ борщ",
		"10 | 20 %",
		"i love 🦄",
		"影師嗎",
		"1,000 Households",
		"Fish &amp; Chips",
		"&#233;t&#xE9;",
		"&#99999999; &#65;",
		"&#x&#1633;;",
		"&#55296;",
		"---a---b---",
		"O'Brien’s",
		"!!!",
		"ツイッター € 5",
		"a\xffb",
		"\U0001CCF0",
		strings.Repeat("ab ", 30),
		"Sierra Leone DHIS2 production instance - national level data",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, name string) {
		got, ok := Derive(name)
		if ok != (got != "") {
			t.Fatalf("Derive(%q) = (%q, %v): ok must report a non-empty slug", name, got, ok)
		}
		if len(got) > MaxDerivedLength {
			t.Fatalf("Derive(%q) = %q: longer than %d", name, got, MaxDerivedLength)
		}
		if ok && !derivedSlugRE.MatchString(got) {
			t.Fatalf("Derive(%q) = %q: not a clean slug", name, got)
		}
		if ok && !ValidSlug(got) {
			t.Fatalf("Derive(%q) = %q: rejected by ValidSlug", name, got)
		}
		if again, _ := Derive(name); again != got {
			t.Fatalf("Derive(%q) not deterministic: %q then %q", name, got, again)
		}
		if ok {
			if again, _ := Derive(got); again != got {
				t.Fatalf("Derive(%q) = %q but Derive(%q) = %q", name, got, got, again)
			}
		}
		if full := Slugify(name); !strings.HasPrefix(full, got) {
			t.Fatalf("Derive(%q) = %q is not a prefix of Slugify = %q", name, got, full)
		}
	})
}

// FuzzValidFieldCode checks ValidFieldCode and ValidSlug against the
// server's regular expression and length limits.
func FuzzValidFieldCode(f *testing.F) {
	for _, seed := range []string{
		"", "url", "api_key", "db-name", "a b", "a.b", "clé", "x\n",
		strings.Repeat("x", MaxFieldCodeLength),
		strings.Repeat("x", MaxFieldCodeLength+1),
		strings.Repeat("y", MaxLength+1),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		pattern := djangoSlugRE.MatchString(s)
		n := utf8.RuneCountInString(s)
		if want := pattern && n <= MaxFieldCodeLength; ValidFieldCode(s) != want {
			t.Fatalf("ValidFieldCode(%q) = %v, want %v", s, !want, want)
		}
		if want := pattern && n <= MaxLength; ValidSlug(s) != want {
			t.Fatalf("ValidSlug(%q) = %v, want %v", s, !want, want)
		}
		if ValidFieldCode(s) {
			if env := ConstantCase(s); strings.ContainsAny(env, "-. abcdefghijklmnopqrstuvwxyz") {
				t.Fatalf("ConstantCase(%q) = %q: not an env var name", s, env)
			}
		}
	})
}
