package export

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/blsq/terraform-provider-openhexa/internal/connection"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
	"github.com/blsq/terraform-provider-openhexa/internal/slug"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/defaults"
	"github.com/zclconf/go-cty/cty"
)

// decision is everything a run decided, from the directory, its state and what
// OpenHEXA holds, before anything is rendered: what becomes of each connection, its
// names and attributes, and which file gets what. Rendering and writing decide
// nothing more, and never look at the directory again.
type decision struct {
	workspaces []*workspaceExport
	// allowed are the undetermined blocks -allow-undetermined lets through.
	allowed []undeterminedBlock
	// variables, providers and secrets are the own files those go to (Name "" when
	// the run writes none).
	variables, providers, secrets ownFile
	// gitignore is what the run appends to the directory's .gitignore (nil: none),
	// after gitignoreBefore, what it holds.
	gitignore       []string
	gitignoreBefore []byte
	result          *Result
}

// ownFile is a file the run writes: new, or an own unchanged one it adds to.
type ownFile struct {
	Name     string
	Previous []byte
}

// attribute is one argument of a resource block: a literal, a variable, or an
// object of those (the custom connections' fields).
type attribute struct {
	Name     string
	Value    *cty.Value
	Variable string
	Object   []objectEntry
}

type objectEntry struct {
	Key      string
	Value    *cty.Value
	Variable string
}

// decide makes every decision of a run. It stops the run (nothing written) for a
// block only evaluation could tell that the state does not cover, an import block
// by a slug no connection has now, and secret values bound for a file git tracks.
func decide(opts Options, st *dirState, state *stateView, workspaces []*workspaceExport,
	listed map[string][]openhexa.Connection) (*decision, error) {
	d := &decision{workspaces: workspaces, result: &Result{}}
	var open []undeterminedBlock
	for _, u := range st.undetermined {
		if !state.covers(u) {
			open = append(open, u)
		}
	}
	if len(open) > 0 && !opts.AllowUndetermined {
		return nil, fmt.Errorf("the directory has blocks that may manage OpenHEXA connections, but which ones cannot "+
			"be known without evaluating the configuration, and its state does not hold what they manage (state: "+
			"%s):\n%s\n"+
			"An export could declare one of those connections a second time. Nothing was written. Apply them first "+
			"(the state then knows what they manage, by UUID), or run again with -allow-undetermined once you know "+
			"they manage none of the connections exported (the plan would then show a connection imported twice)",
			state.source, undeterminedLines(open))
	}
	d.allowed = open
	if err := staleImports(st, state, listed); err != nil {
		return nil, err
	}
	for _, ws := range workspaces {
		sdkNotes := connection.SDKNotes(listed[ws.Slug])
		for _, conn := range listed[ws.Slug] {
			d.choose(st, state, ws, conn, sdkNotes[conn.ID], opts)
		}
	}
	if err := d.pickFiles(st, opts); err != nil {
		return nil, err
	}
	return d, nil
}

func undeterminedLines(blocks []undeterminedBlock) string {
	var lines []string
	for _, u := range blocks {
		lines = append(lines, fmt.Sprintf("  %s: %s (%s)", u.where, u.what, u.why))
	}
	return strings.Join(lines, "\n")
}

// staleImports stops the run for an import block not applied yet whose id names a
// connection by a slug that no connection of an exported workspace has now: its
// slug was changed in OpenHEXA (the block would import nothing, and the export
// would declare the connection again), or it is gone.
func staleImports(st *dirState, state *stateView, listed map[string][]openhexa.Connection) error {
	var lines []string
	for _, imp := range st.imports {
		conns, exported := listed[imp.ref.Workspace]
		if imp.ref.Slug == "" || state.addresses[imp.to] || !exported {
			continue
		}
		found := false
		for _, c := range conns {
			found = found || c.Slug == imp.ref.Slug
		}
		if !found {
			lines = append(lines, fmt.Sprintf("  %s: import into %s with id %q: no connection of %s has the slug %q now",
				imp.where, imp.to, imp.ref.Workspace+"/"+imp.ref.Slug, imp.ref.Workspace, imp.ref.Slug))
		}
	}
	if len(lines) == 0 {
		return nil
	}
	return fmt.Errorf("import blocks not applied yet name connections by slugs that no connection has now:\n%s\n"+
		"If a slug was changed in OpenHEXA, that block imports nothing (the plan fails) while the export would declare "+
		"the connection a second time, under its new slug. Write its id as \"<workspace>/<uuid>\" (a connection's UUID "+
		"never changes; the web app and the openhexa_connections data source show it), or remove the block and its "+
		"resource if the connection is gone; then run again. Nothing was written", strings.Join(lines, "\n"))
}

// declaredBy says how the directory already declares a connection, "" when it does
// not: by the state, which knows it by UUID; else by a block not applied yet (one
// the state holds manages what the state says, whatever its slug or name).
func declaredBy(st *dirState, state *stateView, workspace string, c openhexa.Connection) string {
	if address, ok := state.byID[strings.ToLower(c.ID)]; ok {
		return fmt.Sprintf("managed in the state (%s)", address)
	}
	for _, imp := range st.imports {
		if state.addresses[imp.to] {
			continue
		}
		if imp.ref.ID != "" && imp.ref.ID == strings.ToLower(c.ID) ||
			imp.ref.Slug != "" && imp.ref.Workspace == workspace && imp.ref.Slug == c.Slug {
			return fmt.Sprintf("declared by an import block with its id (%s)", imp.where)
		}
	}
	for _, r := range st.resources {
		if r.workspace != workspace || state.addresses[r.address] {
			continue
		}
		if r.slug != "" && r.slug == c.Slug {
			return fmt.Sprintf("declared by %s with its slug (%s)", r.address, r.where)
		}
		if r.slug == "" && r.name == c.Name {
			return fmt.Sprintf("declared by %s with its name and no slug (%s)", r.address, r.where)
		}
		if derived, ok := slug.Derive(r.name); r.slug == "" && ok && derived == c.Slug {
			return fmt.Sprintf("declared by %s, whose name without slug gives its slug (%s)", r.address, r.where)
		}
	}
	return ""
}

// choose decides what becomes of a connection: skipped when the directory declares
// it already, refused when its names are taken by something else or a value cannot
// be written, else exported with its label, variables and attributes.
func (d *decision) choose(st *dirState, state *stateView, ws *workspaceExport, conn openhexa.Connection, sdkNotes []string, opts Options) {
	id := ws.Slug + "/" + conn.Slug
	if by := declaredBy(st, state, ws.Slug, conn); by != "" {
		ws.Skipped = append(ws.Skipped, fmt.Sprintf("%s: %s", id, by))
		return
	}
	c := &connExport{Workspace: ws.Slug, Conn: conn, Kind: connection.KindByAPIType(conn.Type), SDKNotes: sdkNotes}
	// Only secret codes go into names (variables); the others are quoted map keys.
	var codes []string
	for _, f := range conn.Fields {
		if f.Secret {
			codes = append(codes, f.Code)
		}
	}
	if err := checkNameable(ws.Slug, conn.Slug, codes); err != nil {
		ws.Refused = append(ws.Refused, fmt.Sprintf("%s: %s", id, err))
		return
	}
	c.Label = resourceLabel(ws.Slug, conn.Slug)
	address := c.Kind.ResourceTypeName() + "." + c.Label
	if where, taken := st.addresses[address]; taken {
		ws.Refused = append(ws.Refused, fmt.Sprintf("%s: its address %s is already used in %s, by a block that "+
			"declares another connection (or none); rename that block, or import %s by hand", id, address, where, id))
		return
	}
	if state.addresses[address] {
		ws.Refused = append(ws.Refused, fmt.Sprintf("%s: its address %s is already in the state, for another "+
			"connection (or one whose block was removed); import %s by hand under another address", id, address, id))
		return
	}
	for _, code := range secretCodes(c) {
		field, held := conn.Field(code)
		sv := &secretVar{Conn: c, Code: code, Name: variableName(ws.Slug, conn.Slug, code), Value: field.Value, Missing: !held}
		for _, spec := range c.Kind.Fields {
			sv.Optional = sv.Optional || spec.Code == code && !spec.Required
		}
		if where, taken := st.variables[sv.Name]; taken {
			ws.Refused = append(ws.Refused, fmt.Sprintf("%s: the variable %s for its secret %q is already declared "+
				"in %s; remove that declaration if it was for this connection, or import %s by hand", id, sv.Name,
				code, where, id))
			return
		}
		c.Secrets = append(c.Secrets, sv)
	}
	c.Notes = connection.ImportNotes(conn)
	attrs, err := connAttributes(c, opts)
	if err != nil {
		ws.Refused = append(ws.Refused, fmt.Sprintf("%s: %s", id, err))
		return
	}
	c.Attributes = attrs
	ws.Connections = append(ws.Connections, c)
}

// connAttributes are a resource's arguments in schema order: the common ones, then
// the kind's fields in the order of its table (custom: fields, then secret fields),
// leaving out every value equal to the schema's default.
func connAttributes(c *connExport, opts Options) ([]attribute, error) {
	literal := func(name string, v cty.Value) attribute { return attribute{Name: name, Value: &v} }
	sch := c.Kind.ResourceSchema()
	attrs := []attribute{
		literal(connection.AttrWorkspace, cty.StringVal(c.Workspace)),
		literal(connection.AttrName, cty.StringVal(c.Conn.Name)),
		literal(connection.AttrSlug, cty.StringVal(c.Conn.Slug)),
	}
	if def, ok := schemaDefault(sch, connection.AttrDescription); !ok || def != c.Conn.DescriptionOrEmpty() {
		attrs = append(attrs, literal(connection.AttrDescription, cty.StringVal(c.Conn.DescriptionOrEmpty())))
	}
	secretByCode := map[string]*secretVar{}
	for _, s := range c.Secrets {
		secretByCode[s.Code] = s
	}

	if c.Kind.Custom {
		var codes []string
		values := map[string]string{}
		for _, f := range c.Conn.Fields {
			if !f.Secret {
				codes = append(codes, f.Code)
				values[f.Code] = deref(f.Value)
			}
		}
		sort.Strings(codes)
		var plain []objectEntry
		for _, code := range codes {
			v := cty.StringVal(values[code])
			plain = append(plain, objectEntry{Key: code, Value: &v})
		}
		if len(plain) > 0 {
			attrs = append(attrs, attribute{Name: connection.AttrCustomFields, Object: plain})
		}
		var secret []objectEntry
		for _, s := range c.Secrets {
			secret = append(secret, objectEntry{Key: s.Code, Variable: s.Name})
		}
		if len(secret) > 0 {
			name := connection.AttrCustomSecrets
			if opts.WriteOnly {
				name = connection.AttrCustomSecretsWO
			}
			attrs = append(attrs, attribute{Name: name, Object: secret})
		}
		return attrs, nil
	}

	for _, spec := range c.Kind.Fields {
		if spec.Secret {
			s := secretByCode[spec.Code]
			if s == nil {
				continue // an optional secret OpenHEXA holds empty or lacks: the engine keeps it null
			}
			name := spec.Code
			if opts.WriteOnly {
				name = spec.WriteOnlyAttribute()
			}
			attrs = append(attrs, attribute{Name: name, Variable: s.Name})
			continue
		}
		attr, ok := sch.Attributes[spec.Code]
		if !ok {
			return nil, fmt.Errorf("the schema of %s has no attribute %q (a bug in the provider)", c.Kind.ResourceTypeName(), spec.Code)
		}
		field, onServer := c.Conn.Field(spec.Code)
		if !onServer && !attr.IsRequired() {
			continue // a built-in field OpenHEXA lacks stays missing until configured
		}
		value := deref(field.Value)
		def, hasDefault := spec.CreateDefault()
		if hasDefault && value == def {
			continue
		}
		// The attribute's type says how the value is written, never the field.
		switch attr.(type) {
		case schema.StringAttribute:
			attrs = append(attrs, literal(spec.Code, cty.StringVal(value)))
		default:
			return nil, fmt.Errorf("attribute %q of %s has a type the export cannot write (a bug in the provider)",
				spec.Code, c.Kind.ResourceTypeName())
		}
	}
	return attrs, nil
}

// pickFiles decides which file each part of the run goes to, what the .gitignore
// gets, and counts what the summary says.
func (d *decision) pickFiles(st *dirState, opts Options) error {
	r := d.result
	taken := map[string]bool{}
	for _, ws := range d.workspaces {
		r.Skipped += len(ws.Skipped)
		r.Refused += len(ws.Refused)
		if len(ws.Connections) == 0 {
			continue
		}
		ws.File, ws.Previous = pickOwnFile(st, taken, workspaceFileBase(ws.Slug), ".tf")
		for _, c := range ws.Connections {
			r.Connections++
			if len(c.Notes) > 0 {
				r.Changes++
			}
			unread := false
			for _, s := range c.Secrets {
				r.Secrets++
				switch {
				case s.Missing:
					r.Missing = append(r.Missing, s.Name)
				case s.unreadable():
					unread = true
					r.Unreadable = append(r.Unreadable, s.Name)
					if s.Optional && len(c.Notes) == 0 {
						r.MaybeEmpty = append(r.MaybeEmpty, s.Name)
					}
				}
			}
			if len(c.Notes) > 0 || unread {
				r.TokenChanges++
			}
		}
	}
	if r.Connections == 0 {
		return nil
	}
	own := func(base, ext string) ownFile {
		name, prev := pickOwnFile(st, taken, base, ext)
		if first := numberedName(base, ext, 1); name != first {
			r.NewFiles = append(r.NewFiles, fmt.Sprintf("%s, since %s is not the export's, or was edited since", name, first))
		}
		return ownFile{Name: name, Previous: prev}
	}
	if r.Secrets > 0 {
		d.variables = own(variablesBase, ".tf")
	}
	if !st.requiresOpenHEXA {
		d.providers = own(providersBase, ".tf")
	}
	if opts.WriteSecretValues && r.Secrets > len(r.Unreadable)+len(r.Missing) {
		d.secrets = own(secretsBase, secretsExt)
		r.SecretsFile = d.secrets.Name
		if gitTracks(opts.Dir, d.secrets.Name) {
			return fmt.Errorf("the secret values would go to %s, which git tracks (git ls-files): they would be in "+
				"the next commit. Nothing was written. Take it out of the index (`git rm --cached %s`, and rotate the "+
				"secrets it held if it was ever pushed), or run without -write-secret-values", d.secrets.Name, d.secrets.Name)
		}
		d.gitignore, d.gitignoreBefore = gitignoreFor(opts.Dir, st, d.secrets.Name)
	}
	return nil
}

// schemaDefault returns the default the schema gives an attribute, as a string.
func schemaDefault(sch schema.Schema, name string) (string, bool) {
	ctx := context.Background()
	switch a := sch.Attributes[name].(type) {
	case schema.StringAttribute:
		if a.Default != nil {
			var resp defaults.StringResponse
			a.Default.DefaultString(ctx, defaults.StringRequest{}, &resp)
			return resp.PlanValue.ValueString(), !resp.PlanValue.IsNull()
		}
	}
	return "", false
}

// pickOwnFile chooses the file for new content of a base name: the first of
// <base><ext>, <base>.2<ext>, … that is absent or the export's own and unchanged
// (then with what it holds after the marker). A name whose OpenTofu twin (.tofu)
// exists is passed over: OpenTofu would read the twin instead.
func pickOwnFile(st *dirState, taken map[string]bool, base, ext string) (string, []byte) {
	for n := 1; ; n++ {
		name := numberedName(base, ext, n)
		if taken[name] {
			continue
		}
		if ext == ".tf" && st.exists[strings.TrimSuffix(name, ".tf")+".tofu"] {
			continue
		}
		if !st.exists[name] {
			taken[name] = true
			return name, nil
		}
		if rest, ok := ownUnchanged(st.files[name]); ok {
			taken[name] = true
			return name, append([]byte(nil), rest...) // appended to: never into what was read
		}
	}
}

// secretCodes are the secret fields of a connection that its configuration sets:
// every secret of the kind's table, except an optional one OpenHEXA holds empty or
// lacks (the engine keeps those null); for a custom connection, every field the
// server flags secret, by code.
func secretCodes(c *connExport) []string {
	var codes []string
	if c.Kind.Custom {
		for _, f := range c.Conn.Fields {
			if f.Secret {
				codes = append(codes, f.Code)
			}
		}
		sort.Strings(codes)
		return codes
	}
	for _, spec := range c.Kind.Fields {
		if !spec.Secret {
			continue
		}
		field, onServer := c.Conn.Field(spec.Code)
		if !spec.Required && (!onServer || (field.Value != nil && *field.Value == "")) {
			continue
		}
		codes = append(codes, spec.Code)
	}
	return codes
}
