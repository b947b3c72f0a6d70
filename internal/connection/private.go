package connection

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"sort"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// privateKey is the key of the provider's data in the resource's private state.
const privateKey = "connection"

// privateData is what the provider remembers beside state, out of sight of plans:
// salted hashes of the write-only values it sent without a version, which codes are
// write-only with a version (nothing is kept of their values), and the layout of the
// fields on the server at the last read, so it can plan the writes that attributes
// cannot show.
type privateData struct {
	Salt string `json:"salt,omitempty"`
	// Hashes holds, per field code, the salted SHA-256 of the last write-only value
	// sent without a version. Whoever holds the state file can test a guess against
	// it, so versioned values get none.
	Hashes map[string]string `json:"hashes,omitempty"`
	// Versioned lists the write-only codes managed with a version.
	Versioned []string `json:"versioned,omitempty"`
	// Server is the server's field layout at the last read: code → secret flag.
	Server map[string]bool `json:"server,omitempty"`
	// Drifted lists write-only codes whose server value no longer matches the hash.
	Drifted []string `json:"drifted,omitempty"`
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

// matches reports whether value is the one whose hash is remembered for code.
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
	if !contains(p.Versioned, code) {
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
	_, hashed := p.Hashes[code]
	return hashed || contains(p.Versioned, code)
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

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

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

func (p *privateData) drifted(code string) bool { return contains(p.Drifted, code) }

// recordServer remembers the server's field layout and, for write-only codes whose
// value the token can read, whether that value still matches what was sent.
func (p *privateData) recordServer(conn *openhexa.Connection) {
	p.Server = map[string]bool{}
	p.Drifted = nil
	for _, f := range conn.Fields {
		p.Server[f.Code] = f.Secret
	}
}

func (p *privateData) noteDrift(code string) {
	if !p.drifted(code) {
		p.Drifted = append(p.Drifted, code)
		sort.Strings(p.Drifted)
	}
}
