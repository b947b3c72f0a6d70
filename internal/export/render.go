package export

import (
	"context"
	"fmt"
	"github.com/blsq/terraform-provider-openhexa/internal/importid"
	"os"
	"sort"
	"strings"
	"unicode"

	"github.com/blsq/terraform-provider-openhexa/internal/connection"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/defaults"
	"github.com/zclconf/go-cty/cty"
)

// outputFile is one file of the export, rendered in memory before anything is written.
type outputFile struct {
	Name    string
	Content []byte
	Mode    os.FileMode
}

// render builds every file the run writes, each with the content of the own file
// it extends (or new), the marker first.
func render(st *dirState, workspaces []*workspaceExport, opts Options) ([]outputFile, *Result) {
	result := &Result{Workspaces: len(workspaces)}
	var files []outputFile
	var secrets []*secretVar
	taken := map[string]bool{}
	for _, ws := range workspaces {
		result.Skipped += len(ws.Skipped)
		result.Refused += len(ws.Refused)
		if len(ws.Connections) == 0 {
			continue
		}
		ws.File, ws.Previous = pickOwnFile(st, taken, workspaceFileBase(ws.Slug), ".tf")
		var body []byte
		for _, c := range ws.Connections {
			result.Connections++
			if len(c.Notes) > 0 {
				result.Changes++
			}
			body = append(body, c.Rendered...)
			secrets = append(secrets, c.Secrets...)
		}
		content := ws.Previous
		if content == nil {
			content = comment(fmt.Sprintf("Connections of the OpenHEXA workspace %s (%s).", ws.Slug, ws.Name))
		}
		files = append(files, outputFile{Name: ws.File, Content: withMarker(hclwrite.Format(append(content, body...))), Mode: 0o644})
	}
	if result.Connections == 0 {
		return nil, result
	}
	result.Secrets = len(secrets)
	for _, s := range secrets {
		if s.Missing {
			result.Missing++
		}
		if s.unreadable() {
			result.Unreadable++
		}
	}
	if len(secrets) > 0 {
		name, prev := pickOwnFile(st, taken, variablesBase, ".tf")
		result.noteNewFile(name, variablesBase, ".tf")
		files = append(files, outputFile{Name: name, Content: withMarker(renderVariables(prev, secrets, opts)), Mode: 0o644})
	}
	if !st.requiresOpenHEXA {
		name, prev := pickOwnFile(st, taken, providersBase, ".tf")
		result.noteNewFile(name, providersBase, ".tf")
		files = append(files, outputFile{Name: name, Content: withMarker(append(prev, renderProviders(prev == nil, opts)...)), Mode: 0o644})
	}
	if opts.WriteSecretValues && result.Secrets > result.Unreadable+result.Missing {
		name, prev := pickOwnFile(st, taken, secretsBase, secretsExt)
		result.noteNewFile(name, secretsBase, secretsExt)
		result.SecretsFile = name
		files = append(files, outputFile{Name: name, Content: withMarker(renderSecretValues(prev, secrets)), Mode: 0o600})
		if ignore := gitignoreFor(opts.Dir, st, name); ignore != nil {
			files = append(files, *ignore)
		}
	}
	return files, result
}

// noteNewFile says why a file of the run is not the first of its names.
func (r *Result) noteNewFile(name, base, ext string) {
	if first := numberedName(base, ext, 1); name != first {
		r.NewFiles = append(r.NewFiles, fmt.Sprintf("%s, since %s is not the export's, or was edited since", name, first))
	}
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

// renderConnection renders a connection's import and resource blocks, after a
// comment with what its first plan changes.
func renderConnection(c *connExport, opts Options) ([]byte, error) {
	f := hclwrite.NewEmptyFile()
	body := f.Body()
	imp := body.AppendNewBlock("import", nil).Body()
	imp.SetAttributeTraversal("to", hcl.Traversal{
		hcl.TraverseRoot{Name: c.Kind.ResourceTypeName()}, hcl.TraverseAttr{Name: c.Label},
	})
	id := c.Workspace + "/" + c.Conn.Slug
	if opts.WriteOnly {
		// The secrets go to write-only attributes: the import keeps them out of state.
		id += importid.WriteOnlySuffix
	}
	imp.SetAttributeValue("id", cty.StringVal(id))
	body.AppendNewline()
	res := body.AppendNewBlock("resource", []string{c.Kind.ResourceTypeName(), c.Label}).Body()
	if err := writeAttributes(res, c, opts); err != nil {
		return nil, err
	}
	out := []byte("\n")
	if len(c.Notes) > 0 {
		lines := []string{"The first plan after importing this connection changes it:"}
		for _, n := range c.Notes {
			lines = append(lines, "- "+n)
		}
		out = append(out, comment(lines...)...)
	}
	return append(out, f.Bytes()...), nil
}

// writeAttributes sets a resource's attributes in schema order: the common ones,
// then the kind's fields in the order of its table (custom: fields, then secret
// fields), leaving out every value equal to the schema's default.
func writeAttributes(b *hclwrite.Body, c *connExport, opts Options) error {
	sch := c.Kind.ResourceSchema()
	b.SetAttributeValue(connection.AttrWorkspace, cty.StringVal(c.Workspace))
	b.SetAttributeValue(connection.AttrName, cty.StringVal(c.Conn.Name))
	b.SetAttributeValue(connection.AttrSlug, cty.StringVal(c.Conn.Slug))
	if def, ok := schemaDefault(sch, connection.AttrDescription); !ok || def != c.Conn.DescriptionOrEmpty() {
		b.SetAttributeValue(connection.AttrDescription, cty.StringVal(c.Conn.DescriptionOrEmpty()))
	}
	secretByCode := map[string]*secretVar{}
	for _, s := range c.Secrets {
		secretByCode[s.Code] = s
	}

	if c.Kind.Custom {
		var plain []hclwrite.ObjectAttrTokens
		var codes []string
		values := map[string]string{}
		for _, f := range c.Conn.Fields {
			if !f.Secret {
				codes = append(codes, f.Code)
				values[f.Code] = deref(f.Value)
			}
		}
		sort.Strings(codes)
		for _, code := range codes {
			plain = append(plain, hclwrite.ObjectAttrTokens{Name: objectKey(code), Value: hclwrite.TokensForValue(cty.StringVal(values[code]))})
		}
		if len(plain) > 0 {
			b.SetAttributeRaw(connection.AttrCustomFields, hclwrite.TokensForObject(plain))
		}
		var secret []hclwrite.ObjectAttrTokens
		for _, s := range c.Secrets {
			secret = append(secret, hclwrite.ObjectAttrTokens{Name: objectKey(s.Code), Value: hclwrite.TokensForTraversal(variableRef(s))})
		}
		if len(secret) > 0 {
			attr := connection.AttrCustomSecrets
			if opts.WriteOnly {
				attr = connection.AttrCustomSecretsWO
			}
			b.SetAttributeRaw(attr, hclwrite.TokensForObject(secret))
		}
		return nil
	}

	for _, spec := range c.Kind.Fields {
		if spec.Secret {
			s := secretByCode[spec.Code]
			if s == nil {
				continue // an optional secret OpenHEXA holds empty or lacks: the engine keeps it null
			}
			attr := spec.Code
			if opts.WriteOnly {
				attr = spec.WriteOnlyAttribute()
			}
			b.SetAttributeTraversal(attr, variableRef(s))
			continue
		}
		attr, ok := sch.Attributes[spec.Code]
		if !ok {
			return fmt.Errorf("the schema of %s has no attribute %q (a bug in the provider)", c.Kind.ResourceTypeName(), spec.Code)
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
			b.SetAttributeValue(spec.Code, cty.StringVal(value))
		default:
			return fmt.Errorf("attribute %q of %s has a type the export cannot write (a bug in the provider)",
				spec.Code, c.Kind.ResourceTypeName())
		}
	}
	return nil
}

// renderVariables declares one variable per secret, without a value: sensitive,
// and ephemeral as well for write-only attributes; after what the own file held.
func renderVariables(prev []byte, secrets []*secretVar, opts Options) []byte {
	f := hclwrite.NewEmptyFile()
	body := f.Body()
	for _, s := range secrets {
		body.AppendNewline()
		v := body.AppendNewBlock("variable", []string{s.Name}).Body()
		v.SetAttributeValue("description", cty.StringVal(describe(s)))
		v.SetAttributeTraversal("type", hcl.Traversal{hcl.TraverseRoot{Name: "string"}})
		v.SetAttributeValue("sensitive", cty.True)
		if opts.WriteOnly {
			v.SetAttributeValue("ephemeral", cty.True)
		}
	}
	if prev == nil {
		prev = comment("Secrets of the exported OpenHEXA connections, one variable per field, declared without a value.",
			"Those marked ephemeral (OpenTofu and Terraform 1.11 and later) feed write-only attributes and are never stored.")
	}
	return hclwrite.Format(append(prev, f.Bytes()...))
}

// renderSecretValues renders the values the token could read, as a .tfvars file,
// after what the own file held.
func renderSecretValues(prev []byte, secrets []*secretVar) []byte {
	f := hclwrite.NewEmptyFile()
	for _, s := range secrets {
		if s.Value != nil {
			f.Body().SetAttributeValue(s.Name, cty.StringVal(*s.Value))
		}
	}
	if prev == nil {
		prev = comment("Secret values of the exported OpenHEXA connections. Keep this file out of version control.")
	}
	return hclwrite.Format(append(prev, f.Bytes()...))
}

// renderProviders declares the provider's source (and, for ephemeral variables,
// the CLI version they need).
func renderProviders(fresh bool, opts Options) []byte {
	f := hclwrite.NewEmptyFile()
	tf := f.Body().AppendNewBlock("terraform", nil).Body()
	if opts.WriteOnly {
		tf.SetAttributeValue("required_version", cty.StringVal(">= 1.11"))
	}
	rp := tf.AppendNewBlock("required_providers", nil).Body()
	rp.SetAttributeValue("openhexa", cty.ObjectVal(map[string]cty.Value{"source": cty.StringVal(opts.Source)}))
	var header []byte
	if fresh {
		header = comment("Written because no file of the directory required the openhexa provider.")
	}
	return hclwrite.Format(append(header, f.Bytes()...))
}

func describe(s *secretVar) string {
	c := s.Conn
	return fmt.Sprintf("Secret field %q of the %s connection %q (slug %q) in the OpenHEXA workspace %q.",
		s.Code, c.Kind.Title, c.Conn.Name, c.Conn.Slug, c.Workspace)
}

func variableRef(s *secretVar) hcl.Traversal {
	return hcl.Traversal{hcl.TraverseRoot{Name: "var"}, hcl.TraverseAttr{Name: s.Name}}
}

// objectKey writes a map key bare when it reads as an identifier, else quoted.
func objectKey(key string) hclwrite.Tokens {
	switch key {
	// Keywords read as something else where a key is expected: "for" starts a for
	// expression, the others are values.
	case "null", "true", "false", "for", "in", "if", "else", "endif", "endfor":
	default:
		if hclsyntax.ValidIdentifier(key) {
			return hclwrite.TokensForIdentifier(key)
		}
	}
	return hclwrite.TokensForValue(cty.StringVal(key))
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

// comment renders lines as # comments, with control characters (a newline in a
// workspace name) turned into spaces.
func comment(lines ...string) []byte {
	var sb strings.Builder
	for _, line := range lines {
		sb.WriteString("# ")
		sb.WriteString(strings.Map(func(r rune) rune {
			if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
				return ' '
			}
			return r
		}, line))
		sb.WriteString("\n")
	}
	return []byte(sb.String())
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
