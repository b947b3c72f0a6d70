// Package slug reproduces how the OpenHEXA server turns a connection name
// into a slug, and the server's rules for explicit slugs and field codes.
//
// The provider uses it to predict the slug the server will assign (so a plan
// does not show a spurious diff), and the project's OpenHEXA test server uses
// it to assign slugs the way the real server does: both must agree with the
// server byte for byte, which is why Slugify follows python-slugify step by
// step instead of being a "nice" slugifier.
//
// The server (openhexa-app backend, Python 3.13) runs
//
//	slug = slugify(name)[:40].rstrip("-")
//
// with python-slugify 8.0.4. It does not install the Unidecode package, so
// python-slugify falls back to text-unidecode 1.3 for transliteration; the
// transliteration below is github.com/gosimple/unidecode corrected to agree
// with text-unidecode 1.3 on every code point (see textUnidecodeFixes).
package slug

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gosimple/unidecode"
	"golang.org/x/text/unicode/norm"
)

const (
	// MaxDerivedLength is how many characters of the slugified name the
	// server keeps when it derives a connection slug.
	MaxDerivedLength = 40
	// MaxLength is the longest explicit connection slug the server accepts
	// (Connection.slug is a CharField(max_length=100)).
	MaxLength = 100
	// MaxFieldCodeLength is the longest connection field code the server
	// accepts (ConnectionField.code is a CharField(max_length=30)).
	MaxFieldCodeLength = 30
)

// Derive returns the slug the OpenHEXA server derives from a connection name:
// python-slugify 8 with its defaults, cut to MaxDerivedLength characters,
// trailing '-' trimmed. ok is false when the result is empty, in which case
// the server answers INVALID_SLUG.
func Derive(name string) (slug string, ok bool) {
	slug = Slugify(name)
	// Slugify's output is ASCII, so bytes are characters, as in Python's [:40].
	if len(slug) > MaxDerivedLength {
		slug = slug[:MaxDerivedLength]
	}
	slug = strings.TrimRight(slug, "-")
	return slug, slug != ""
}

// Slugify is python-slugify 8's slugify(text) with default arguments (no
// length cut). Each step below is one statement of the Python function, in
// the same order; the order matters (for instance entities are decoded after
// transliteration, so "caf&#233;" keeps a combining accent that becomes '-').
func Slugify(text string) string {
	// Python strings cannot hold invalid UTF-8; a Go client JSON-encoding the
	// name replaces each invalid byte with U+FFFD, so do the same here.
	text = toValidUTF8(text)

	// Pre-process: runs of apostrophes become the separator.
	text = replaceQuotes(text, "-")

	// unicodedata.normalize('NFKD', text), then unidecode.unidecode(text).
	text = transliterate(norm.NFKD.String(text))

	// Character entity references (&amp; ...), then decimal (&#233;) and
	// hexadecimal (&#xE9;) references. Python wraps the last two in
	// try/except, so one invalid reference leaves that whole pass undone.
	text = replaceNamedEntities(text)
	if s, ok := replaceCharRefs(text, false); ok {
		text = s
	}
	if s, ok := replaceCharRefs(text, true); ok {
		text = s
	}

	// Re-normalize: characters produced by references are decomposed but
	// not transliterated, so accents survive as combining marks.
	text = norm.NFKD.String(text)

	text = lowerASCII(text)

	// Post-process: apostrophes produced by transliteration disappear.
	text = replaceQuotes(text, "")

	// (?<=\d),(?=\d): thousands separators vanish ("1,000" -> "1000").
	text = dropDigitCommas(text)

	// [^-a-zA-Z0-9]+ -> "-", then -{2,} -> "-" and strip('-').
	text = replaceDisallowed(text)
	text = collapseDashes(text)
	return strings.Trim(text, "-")
}

// toValidUTF8 replaces every invalid byte by U+FFFD, one per byte, as
// encoding/json does when it marshals the string.
func toValidUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for _, r := range s { // range yields RuneError for each invalid byte
		b.WriteRune(r)
	}
	return b.String()
}

// replaceQuotes implements QUOTE_PATTERN.sub(repl, text) with QUOTE_PATTERN
// being [\']+: every run of ASCII apostrophes becomes repl.
func replaceQuotes(s, repl string) string {
	if !strings.Contains(s, "'") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		if s[i] != '\'' {
			b.WriteByte(s[i])
			i++
			continue
		}
		for i < len(s) && s[i] == '\'' {
			i++
		}
		b.WriteString(repl)
	}
	return b.String()
}

// unidecodeFix overrides gosimple/unidecode for the code points lo..hi.
type unidecodeFix struct {
	lo, hi rune
	ascii  string
}

// textUnidecodeFixes lists, sorted, every BMP code point where
// gosimple/unidecode v1.0.1 and text-unidecode 1.3 (the transliterator the
// server really runs) disagree, with text-unidecode's answer. It was produced
// by transliterating U+0080..U+FFFF with both libraries and grouping the
// differences. Mostly it is text-unidecode's "[?] " marker for characters it
// cannot transliterate (gosimple drops them, which would glue the neighbouring
// words together instead of separating them), plus a few spellings such as
// Hepburn "shi"/"chi"/"tsu" versus text-unidecode's "si"/"ti"/"tu".
// Both libraries drop code points above U+FFFF.
var textUnidecodeFixes = []unidecodeFix{
	{0x02B0, 0x02B0, "h"},
	{0x02FF, 0x02FF, "[?] "},
	{0x03FF, 0x03FF, "[?] "},
	{0x0404, 0x0404, "E"},
	{0x042A, 0x042A, ""},
	{0x044A, 0x044A, ""},
	{0x04FF, 0x04FF, "[?] "},
	{0x05C0, 0x05C0, "|"},
	{0x05FF, 0x05FF, "[?] "},
	{0x06FF, 0x06FF, "[?] "},
	{0x07FF, 0x08FF, "[?] "},
	{0x09FF, 0x09FF, "[?] "},
	{0x0AFF, 0x0AFF, "[?] "},
	{0x0BFF, 0x0BFF, "[?] "},
	{0x0CFF, 0x0CFF, "[?] "},
	{0x0DFF, 0x0DFF, "[?] "},
	{0x0EFF, 0x0EFF, "[?] "},
	{0x0FFF, 0x0FFF, "[?] "},
	{0x10FF, 0x10FF, "[?] "},
	{0x11FF, 0x11FF, "[?] "},
	{0x13FF, 0x13FF, "[?] "},
	{0x16FF, 0x16FF, "[?] "},
	{0x17FF, 0x17FF, "[?] "},
	{0x18FF, 0x18FF, "[?] "},
	{0x1900, 0x1DFF, "[?]"},
	{0x1E9B, 0x1E9D, "s"},
	{0x1E9F, 0x1E9F, "d"},
	{0x1EFF, 0x1EFF, "[?] "},
	{0x1FFF, 0x1FFF, "[?] "},
	{0x20AC, 0x20AC, "EUR"},
	{0x20FF, 0x20FF, "[?] "},
	{0x2122, 0x2122, "tm"},
	{0x212A, 0x212B, ""},
	{0x2132, 0x2132, ""},
	{0x213B, 0x213F, ""},
	{0x214E, 0x214E, "[?]"},
	{0x21FF, 0x21FF, "[?] "},
	{0x22FF, 0x22FF, "[?] "},
	{0x23FF, 0x23FF, "[?] "},
	{0x24D0, 0x24EA, ""},
	{0x24FF, 0x24FF, "[?] "},
	{0x25FF, 0x25FF, "[?] "},
	{0x26FF, 0x26FF, "[?] "},
	{0x27FF, 0x27FF, "[?] "},
	{0x2900, 0x2DFF, "[?] "},
	{0x2EFF, 0x2EFF, "[?] "},
	{0x2FFF, 0x2FFF, "[?] "},
	{0x3057, 0x3057, "si"},
	{0x3061, 0x3061, "ti"},
	{0x3063, 0x3064, "tu"},
	{0x30B7, 0x30B7, "si"},
	{0x30C1, 0x30C1, "ti"},
	{0x30C3, 0x30C4, "tu"},
	{0x30FF, 0x30FF, "[?] "},
	{0x31FF, 0x31FF, "[?] "},
	{0x32FF, 0x32FF, "[?] "},
	{0x33FF, 0x4CFF, "[?] "},
	{0x4DFF, 0x4DFF, "[?] "},
	{0x4E00, 0x4E00, "Yi "},
	{0x9FFF, 0x9FFF, "[?] "},
	{0xA4FF, 0xABFF, "[?] "},
	{0xD7FF, 0xD7FF, "[?] "},
	{0xE000, 0xF8FF, "[?] "},
	{0xFAFF, 0xFAFF, "[?] "},
	{0xFDFF, 0xFDFF, "[?] "},
}

// transliterate is text-unidecode's unidecode(): each code point is replaced
// by its ASCII spelling, ASCII is kept, unknown code points above U+FFFF are
// dropped.
func transliterate(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r < utf8.RuneSelf {
			b.WriteByte(byte(r))
			continue
		}
		i := sort.Search(len(textUnidecodeFixes), func(i int) bool {
			return textUnidecodeFixes[i].hi >= r
		})
		if i < len(textUnidecodeFixes) && textUnidecodeFixes[i].lo <= r {
			b.WriteString(textUnidecodeFixes[i].ascii)
			continue
		}
		b.WriteString(unidecode.Unidecode(string(r)))
	}
	return b.String()
}

// replaceNamedEntities implements CHAR_ENTITY_PATTERN.sub: &(name); for any
// key of htmlEntities. The regex alternation is followed by ';' and no key
// contains ';', so at a given '&' the only candidate is the text up to the
// next ';'. Replaced text is not rescanned, as with re.sub.
func replaceNamedEntities(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		if s[i] == '&' {
			rest := s[i+1:]
			if j := strings.IndexByte(rest, ';'); j > 0 && j <= maxEntityNameLen {
				if r, ok := htmlEntities[rest[:j]]; ok {
					b.WriteRune(r)
					i += j + 2
					continue
				}
			}
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

// maxIntStrDigits is CPython's default int_max_str_digits (3.11+): int() of
// a decimal string with more digits raises ValueError, even when they are
// leading zeros.
const maxIntStrDigits = 4300

// replaceCharRefs implements DECIMAL_PATTERN.sub (&#(\d+);) or, when hex is
// set, HEX_PATTERN.sub (&#x([\da-fA-F]+);), replacing each match by
// chr(int(group, base)). Python's \d is any Unicode decimal digit and int()
// accepts those too. ok is false when Python's chr(int(...)) would raise for
// some match: the caller then keeps the text as it was before the pass, as
// python-slugify's try/except does.
func replaceCharRefs(s string, hex bool) (string, bool) {
	prefix := "&#"
	if hex {
		prefix = "&#x"
	}
	if !strings.Contains(s, prefix) {
		return s, true
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		if strings.HasPrefix(s[i:], prefix) {
			r, n, matched, valid := parseCharRef(s[i+len(prefix):], hex)
			if matched {
				if !valid {
					return s, false
				}
				// Python's chr() also yields lone surrogates, which Go
				// strings cannot hold: WriteRune writes U+FFFD instead. Both
				// are non-ASCII and end up as a '-' separator all the same.
				b.WriteRune(r)
				i += len(prefix) + n
				continue
			}
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String(), true
}

// parseCharRef matches the digits and the ';' of a character reference at the
// start of s. n is the byte length matched (digits and ';'). valid reports
// whether Python's chr(int(digits, base)) would succeed.
func parseCharRef(s string, hex bool) (r rune, n int, matched, valid bool) {
	base := 10
	if hex {
		base = 16
	}
	const maxRune = unicode.MaxRune // chr() rejects anything above U+10FFFF
	var value int
	digits := 0
	tooBig := false
	i := 0
	for i < len(s) {
		c, size := utf8.DecodeRuneInString(s[i:])
		d, ok := decimalValue(c)
		if !ok && hex {
			d, ok = hexLetterValue(c)
		}
		if !ok {
			break
		}
		digits++
		if !tooBig {
			value = value*base + d
			tooBig = value > maxRune
		}
		i += size
	}
	if digits == 0 || i >= len(s) || s[i] != ';' {
		return 0, 0, false, false
	}
	// int() refuses over-long decimal strings (power-of-two bases are exempt),
	// and chr() refuses values past U+10FFFF.
	if tooBig || (!hex && digits > maxIntStrDigits) {
		return 0, i + 1, true, false
	}
	return rune(value), i + 1, true, true
}

// decimalValue is the value of a Unicode decimal digit (general category Nd,
// what Python's \d and int() accept). Unicode assigns decimal digits only in
// contiguous 0..9 runs, so the value is the offset from the start of the
// run of consecutive Nd code points, modulo 10.
func decimalValue(r rune) (int, bool) {
	if '0' <= r && r <= '9' {
		return int(r - '0'), true
	}
	if r < utf8.RuneSelf || !unicode.IsDigit(r) {
		return 0, false
	}
	start := r
	for unicode.IsDigit(start - 1) {
		start--
	}
	return int(r-start) % 10, true
}

// hexLetterValue is the value of an ASCII hex letter (the a-fA-F of
// HEX_PATTERN; the pattern has no Unicode letters).
func hexLetterValue(r rune) (int, bool) {
	switch {
	case 'a' <= r && r <= 'f':
		return int(r-'a') + 10, true
	case 'A' <= r && r <= 'F':
		return int(r-'A') + 10, true
	}
	return 0, false
}

// lowerASCII stands for Python's str.lower(). Only ASCII letters can survive
// the next steps, and after NFKD no non-ASCII character lowercases to ASCII
// (the two that do, U+0130 and U+212A, are decomposed by NFKD), so lowering
// ASCII alone gives the same slug.
func lowerASCII(s string) string {
	hasUpper := false
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			hasUpper = true
			break
		}
	}
	if !hasUpper {
		return s
	}
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + ('a' - 'A')
		}
	}
	return string(b)
}

// dropDigitCommas implements NUMBERS_PATTERN.sub("", text) with the pattern
// (?<=\d),(?=\d), which Go's regexp cannot express. The lookarounds look at
// the original text, so in "1,2,3" both commas go.
func dropDigitCommas(s string) string {
	if !strings.Contains(s, ",") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	prev := rune(-1)
	for i, r := range s {
		if r == ',' && unicode.IsDigit(prev) {
			if next, _ := utf8.DecodeRuneInString(s[i+1:]); unicode.IsDigit(next) {
				prev = r
				continue
			}
		}
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

// replaceDisallowed implements DISALLOWED_CHARS_PATTERN.sub("-", text) with
// [^-a-zA-Z0-9]+. Working on bytes is enough: every byte of a multi-byte
// character is outside the class, so the character joins the current run.
func replaceDisallowed(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	inRun := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '-' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
			b.WriteByte(c)
			inRun = false
			continue
		}
		if !inRun {
			b.WriteByte('-')
			inRun = true
		}
	}
	return b.String()
}

// collapseDashes implements DUPLICATE_DASH_PATTERN.sub("-", text): -{2,} -> -.
func collapseDashes(s string) string {
	if !strings.Contains(s, "--") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '-' && i > 0 && s[i-1] == '-' {
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// slugChar reports whether c may appear in a Django slug: [-a-zA-Z0-9_].
func slugChar(c byte) bool {
	return c == '-' || c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// validSlugOfMax is Django's validate_slug (^[-a-zA-Z0-9_]+\Z) plus the
// CharField max_length. The pattern is ASCII-only, so bytes are characters.
func validSlugOfMax(s string, maxLen int) bool {
	if s == "" || len(s) > maxLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !slugChar(s[i]) {
			return false
		}
	}
	return true
}

// ValidSlug reports whether s is accepted by the server as an explicit
// connection slug: ^[-a-zA-Z0-9_]+$, at most MaxLength characters. The
// server stores an explicit slug as given (it is not lowercased).
func ValidSlug(s string) bool {
	return validSlugOfMax(s, MaxLength)
}

// ValidFieldCode reports whether s is accepted by the server as a connection
// field code: ^[-a-zA-Z0-9_]+$, 1 to MaxFieldCodeLength characters.
func ValidFieldCode(s string) bool {
	return validSlugOfMax(s, MaxFieldCodeLength)
}

// pythonKeywords is keyword.kwlist (soft keywords such as match or type are
// valid identifiers, so they are not listed).
var pythonKeywords = map[string]bool{
	"False": true, "None": true, "True": true, "and": true, "as": true,
	"assert": true, "async": true, "await": true, "break": true,
	"class": true, "continue": true, "def": true, "del": true, "elif": true,
	"else": true, "except": true, "finally": true, "for": true, "from": true,
	"global": true, "if": true, "import": true, "in": true, "is": true,
	"lambda": true, "nonlocal": true, "not": true, "or": true, "pass": true,
	"raise": true, "return": true, "try": true, "while": true, "with": true,
	"yield": true,
}

// IsPythonIdentifier reports whether s is an ASCII Python identifier that is
// not a keyword: ^[A-Za-z_][A-Za-z0-9_]*$. Non-ASCII identifiers, which
// Python would accept, are rejected on purpose: the ASCII rule is all the
// callers need.
func IsPythonIdentifier(s string) bool {
	if s == "" || pythonKeywords[s] {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		case i > 0 && '0' <= c && c <= '9':
		default:
			return false
		}
	}
	return true
}

// ConstantCase names an environment variable as OpenHEXA and its SDK do:
// stringcase 1.2.0's constcase applied to the lower-cased text, so '-', '.' and
// white space become '_' and letters are upper-cased (slug my-dhis2 -> MY_DHIS2).
// Lowering first keeps stringcase from splitting words at capitals (constcase("ApiKey")
// alone would give API_KEY), so Conn -> CONN.
func ConstantCase(identifier string) string {
	return strings.ToUpper(strings.Map(func(r rune) rune {
		if r == '-' || r == '.' || isPythonSpace(r) {
			return '_'
		}
		return r
	}, strings.ToLower(identifier)))
}

// isPythonSpace is Python's `\s` on text: Go's white space plus the four ASCII
// separators U+001C–U+001F, which Python counts as space and Go does not.
func isPythonSpace(r rune) bool {
	return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f)
}
