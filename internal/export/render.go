package export

import (
	"context"
	"fmt"
	"github.com/blsq/terraform-provider-openhexa/internal/importid"
	"os"
	"sort"
	"strconv"
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

// render builds every file of the export, except providers.tf and .gitignore,
// which depend on what the directory already holds (write.go).
func render(workspaces []*workspaceExport, secrets []*secretVar, opts Options) ([]outputFile, *Result, error) {
	result := &Result{Workspaces: len(workspaces), Secrets: len(secrets)}
	var files []outputFile
	for _, ws := range workspaces {
		result.Connections += len(ws.Connections)
		content, err := renderWorkspace(ws, opts)
		if err != nil {
			return nil, nil, err
		}
		files = append(files, outputFile{Name: ws.File, Content: content, Mode: 0o644})
	}
	for _, s := range secrets {
		if s.Value == nil {
			result.Unreadable++
		}
	}
	files = append(files, outputFile{Name: variablesFile, Content: renderVariables(secrets, opts), Mode: 0o644})
	if opts.WriteSecretValues && result.Secrets > result.Unreadable {
		files = append(files, outputFile{Name: secretsFile, Content: renderSecretValues(secrets), Mode: 0o600})
	}
	return files, result, nil
}

// renderWorkspace renders a workspace's import and resource blocks.
func renderWorkspace(ws *workspaceExport, opts Options) ([]byte, error) {
	f := hclwrite.NewEmptyFile()
	body := f.Body()
	for _, c := range ws.Connections {
		body.AppendNewline()
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
	}
	header := comment(fmt.Sprintf("Connections of the OpenHEXA workspace %s (%s): %d %s.", ws.Slug, ws.Name,
		len(ws.Connections), plural(len(ws.Connections), "connection")),
		"Written by `terraform-provider-openhexa export`, which replaces this file when run again.")
	return hclwrite.Format(append(header, f.Bytes()...)), nil
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
				continue // an optional secret OpenHEXA holds empty: the engine keeps it null
			}
			attr := spec.Code
			if opts.WriteOnly {
				attr = spec.WriteOnlyAttribute()
			}
			b.SetAttributeTraversal(attr, variableRef(s))
			continue
		}
		field, _ := c.Conn.Field(spec.Code)
		value := deref(field.Value)
		def, hasDefault := spec.CreateDefault()
		if hasDefault && value == def {
			continue
		}
		if spec.Numeric() {
			n, err := strconv.ParseInt(strings.TrimSpace(value), 10, 64)
			if err != nil {
				return fmt.Errorf("connection %q of workspace %q: field %q holds %q, which is not a number; fix it in "+
					"OpenHEXA and export again", c.Conn.Slug, c.Workspace, spec.Code, value)
			}
			if hasDefault && strconv.FormatInt(n, 10) == def {
				continue
			}
			b.SetAttributeValue(spec.Code, cty.NumberIntVal(n))
			continue
		}
		b.SetAttributeValue(spec.Code, cty.StringVal(value))
	}
	return nil
}

// renderVariables declares one variable per secret, without a value: sensitive,
// and ephemeral as well for write-only attributes.
func renderVariables(secrets []*secretVar, opts Options) []byte {
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
	lines := []string{"Secrets of the exported OpenHEXA connections, one variable per field, declared without a value."}
	if opts.WriteOnly {
		lines = append(lines, "Ephemeral (OpenTofu and Terraform 1.11 and later): they feed write-only attributes and are never stored.")
	}
	lines = append(lines, "Written by `terraform-provider-openhexa export`, which replaces this file when run again.")
	return hclwrite.Format(append(comment(lines...), f.Bytes()...))
}

// renderSecretValues renders the values the token could read, as a .tfvars file.
func renderSecretValues(secrets []*secretVar) []byte {
	f := hclwrite.NewEmptyFile()
	for _, s := range secrets {
		if s.Value != nil {
			f.Body().SetAttributeValue(s.Name, cty.StringVal(*s.Value))
		}
	}
	header := comment("Secret values of the exported OpenHEXA connections. Keep this file out of version control.",
		"Written by `terraform-provider-openhexa export -write-secret-values`.")
	return hclwrite.Format(append(header, f.Bytes()...))
}

// renderProviders declares the provider's source (and, for ephemeral variables,
// the CLI version they need).
func renderProviders(opts Options) []byte {
	f := hclwrite.NewEmptyFile()
	tf := f.Body().AppendNewBlock("terraform", nil).Body()
	if opts.WriteOnly {
		tf.SetAttributeValue("required_version", cty.StringVal(">= 1.11"))
	}
	rp := tf.AppendNewBlock("required_providers", nil).Body()
	rp.SetAttributeValue("openhexa", cty.ObjectVal(map[string]cty.Value{"source": cty.StringVal(opts.Source)}))
	header := comment("Written by `terraform-provider-openhexa export` (left alone when the directory already requires the openhexa provider).")
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
	case "null", "true", "false":
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
	case schema.Int64Attribute:
		if a.Default != nil {
			var resp defaults.Int64Response
			a.Default.DefaultInt64(ctx, defaults.Int64Request{}, &resp)
			return strconv.FormatInt(resp.PlanValue.ValueInt64(), 10), !resp.PlanValue.IsNull()
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
