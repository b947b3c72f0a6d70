package connection

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"slices"
	"sort"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// privateKey is the key of the provider's data in the resource's private state.
const privateKey = "connection"

// privateData is what the provider remembers beside state, out of sight of plans:
// salted hashes of the write-only values managed without a version, which codes are
// write-only with a version (nothing is kept of their values), the layout of the
// fields on the server at the last read, and which hashed values the last read found
// changed in OpenHEXA, so it can plan the writes that attributes cannot show.
type privateData struct {
	Salt string `json:"salt,omitempty"`
	// Hashes holds, per field code, the salted SHA-256 of the write-only value last
	// sent without a version (or found already held by OpenHEXA, see settleWriteOnly).
	// Whoever holds the state file can test a guess against it, so versioned values
	// get none.
	Hashes map[string]string `json:"hashes,omitempty"`
	// Versioned lists the write-only codes managed with a version: no hash, so a
	// change made in OpenHEXA to their value goes unnoticed; only a new version sends
	// the configured value again.
	Versioned []string `json:"versioned,omitempty"`
	// Server is the server's field layout at the last read: code → secret flag.
	Server map[string]bool `json:"server,omitempty"`
	// ImportWriteOnly is set by an import whose ID ends in importid.WriteOnlySuffix
	// and cleared by the read that follows it, which hashes the secrets it reads
	// instead of putting them in state.
	ImportWriteOnly bool `json:"import_write_only,omitempty"`
	// Drifted lists the hashed write-only codes (never versioned ones) whose value, at
	// the last read, no longer matched the hash; only a token that may read secrets
	// can find it (see setFieldsFromServer). The next plan sends them again.
	Drifted []string `json:"drifted,omitempty"`
	// FieldsAt is the connection's updatedAt in the server answer that the fields in
	// state, Server and Drifted were last taken from; "" when that answer withheld a
	// secret value (a token that may not read secrets), so that a token that may
	// reads them all again. While the listing shows the same updatedAt, a refresh
	// reads no fields (openhexa.Client.ConnectionIfChanged).
	FieldsAt string `json:"fields_at,omitempty"`
}

// privateGetter and privateSetter are the framework's private state accessors.
type privateGetter interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

type privateSetter interface {
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

func loadPrivate(ctx context.Context, src privateGetter) (*privateData, diag.Diagnostics) {
	p := &privateData{}
	if src == nil {
		return p, nil
	}
	raw, diags := src.GetKey(ctx, privateKey)
	if diags.HasError() || len(raw) == 0 {
		return p, diags
	}
	if err := json.Unmarshal(raw, p); err != nil {
		// Unreadable private data is only a cache: start again rather than fail.
		return &privateData{}, diags
	}
	return p, diags
}

func (p *privateData) save(ctx context.Context, dst privateSetter) diag.Diagnostics {
	if dst == nil {
		return nil
	}
	raw, err := json.Marshal(p)
	if err != nil {
		var diags diag.Diagnostics
		diags.AddError("Cannot save private state", err.Error())
		return diags
	}
	return dst.SetKey(ctx, privateKey, raw)
}

// hash returns the salted SHA-256 of a field value, creating the salt on first use.
func (p *privateData) hash(code, value string) string {
	if p.Salt == "" {
		salt := make([]byte, 16)
		_, _ = rand.Read(salt)
		p.Salt = base64.StdEncoding.EncodeToString(salt)
	}
	h := sha256.New()
	h.Write([]byte(p.Salt))
	h.Write([]byte{0})
	h.Write([]byte(code))
	h.Write([]byte{0})
	h.Write([]byte(value))
	return hex.EncodeToString(h.Sum(nil))
}

// matches reports whether value is the one whose hash is remembered for code (false
// when none is: a versioned or unrecorded code).
func (p *privateData) matches(code, value string) bool {
	stored, ok := p.Hashes[code]
	return ok && p.Salt != "" && stored == p.hash(code, value)
}

func (p *privateData) remember(code, value string) {
	if p.Hashes == nil {
		p.Hashes = map[string]string{}
	}
	p.Hashes[code] = p.hash(code, value)
	p.Versioned = without(p.Versioned, code)
}

func (p *privateData) markVersioned(code string) {
	delete(p.Hashes, code)
	if !slices.Contains(p.Versioned, code) {
		p.Versioned = append(p.Versioned, code)
		sort.Strings(p.Versioned)
	}
}

func (p *privateData) forget(code string) {
	delete(p.Hashes, code)
	p.Versioned = without(p.Versioned, code)
}

// hashed reports whether a hash of code's write-only value is kept (no version):
// only then can a change made in OpenHEXA be noticed.
func (p *privateData) hashed(code string) bool {
	_, ok := p.Hashes[code]
	return ok
}

// managesWriteOnly reports whether code is managed through a write-only attribute:
// its value never enters state.
func (p *privateData) managesWriteOnly(code string) bool {
	return p.hashed(code) || slices.Contains(p.Versioned, code)
}

// settleWriteOnly records, after a successful create or update, what is known of each
// write-only value: the hash of one sent (or found on the server) without a version,
// only the code of a versioned one; codes no longer write-only are forgotten.
func (p *privateData) settleWriteOnly(planned []plannedField, sent map[string]string, versioned func(code string) bool) {
	keep := map[string]bool{}
	for _, pf := range planned {
		if !pf.WriteOnly {
			continue
		}
		keep[pf.Code] = true
		value, wasSent := sent[pf.Code]
		switch {
		case versioned(pf.Code):
			p.markVersioned(pf.Code)
		case wasSent:
			p.remember(pf.Code, value)
		case !p.hashed(pf.Code) && pf.WOValue != nil && pf.PriorPlain != nil && *pf.PriorPlain == *pf.WOValue:
			// OpenHEXA already held the value (state had it in clear): hash it now,
			// so that later plans need no value in state.
			p.remember(pf.Code, *pf.WOValue)
		}
	}
	for code := range p.Hashes {
		if !keep[code] {
			p.forget(code)
		}
	}
	for _, code := range p.Versioned {
		if !keep[code] {
			p.forget(code)
		}
	}
}

// without returns a new list without s (nil when empty), so callers may range over
// the old one while it changes.
func without(list []string, s string) []string {
	out := list[:0:0]
	for _, x := range list {
		if x != s {
			out = append(out, x)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// drifted reports whether the last read found code's hashed value changed in OpenHEXA.
func (p *privateData) drifted(code string) bool { return slices.Contains(p.Drifted, code) }

// recordServer remembers the server's field layout and when it was read, and clears
// the drift found by the previous read; setFieldsFromServer then notes drift again
// (noteDrift) for each hashed write-only code whose value the token can read and
// which no longer matches.
func (p *privateData) recordServer(conn *openhexa.Connection) {
	p.Server = map[string]bool{}
	p.Drifted = nil
	p.FieldsAt = conn.UpdatedAtOrCreated()
	for _, f := range conn.Fields {
		p.Server[f.Code] = f.Secret
		if f.Secret && f.Value == nil {
			p.FieldsAt = ""
		}
	}
}

// noteDrift records that the server's value of a hashed write-only code no longer
// matches its hash.
func (p *privateData) noteDrift(code string) {
	if !p.drifted(code) {
		p.Drifted = append(p.Drifted, code)
		sort.Strings(p.Drifted)
	}
}
