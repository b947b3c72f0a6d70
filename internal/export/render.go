package export

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"unicode"

	"github.com/blsq/terraform-provider-openhexa/internal/importid"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
)

// outputFile is one file of the export, rendered in memory before anything is written.
type outputFile struct {
	Name    string
	Content []byte
	Mode    os.FileMode
}

// render builds every file the run writes from its decisions, each with what the
// own file it extends held (or new), the marker first; the .gitignore, if any,
// first of all (writeFiles moves it into place before the others).
func render(d *decision, opts Options) []outputFile {
	var files []outputFile
	if d.gitignore != nil {
		content := append([]byte(nil), d.gitignoreBefore...)
		if len(content) > 0 && !bytes.HasSuffix(content, []byte("\n")) {
			content = append(content, '\n')
		}
		content = append(content, strings.Join(d.gitignore, "\n")+"\n"...)
		files = append(files, outputFile{Name: gitignoreFile, Content: content, Mode: 0o644})
	}
	var secrets []*secretVar
	for _, ws := range d.workspaces {
		if len(ws.Connections) == 0 {
			continue
		}
		content := ws.Previous
		if content == nil {
			content = comment(fmt.Sprintf("Connections of the OpenHEXA workspace %s (%s).", ws.Slug, ws.Name))
		}
		for _, c := range ws.Connections {
			content = append(content, renderConnection(c, opts)...)
			secrets = append(secrets, c.Secrets...)
		}
		files = append(files, outputFile{Name: ws.File, Content: withMarker(hclwrite.Format(content)), Mode: 0o644})
	}
	if d.variables.Name != "" {
		files = append(files, outputFile{Name: d.variables.Name, Content: withMarker(renderVariables(d.variables.Previous, secrets, opts)), Mode: 0o644})
	}
	if d.providers.Name != "" {
		prev := d.providers.Previous
		files = append(files, outputFile{Name: d.providers.Name, Content: withMarker(append(prev, renderProviders(prev == nil, opts)...)), Mode: 0o644})
	}
	if d.secrets.Name != "" {
		files = append(files, outputFile{Name: d.secrets.Name, Content: withMarker(renderSecretValues(d.secrets.Previous, secrets)), Mode: 0o600})
	}
	return files
}

// renderConnection renders a connection's import block, by UUID (which no change
// in the web app moves) with its workspace and slug in a comment, and its resource
// block, after a comment with what its first plan changes.
func renderConnection(c *connExport, opts Options) []byte {
	f := hclwrite.NewEmptyFile()
	body := f.Body()
	imp := body.AppendNewBlock("import", nil).Body()
	imp.SetAttributeTraversal("to", hcl.Traversal{
		hcl.TraverseRoot{Name: c.Kind.ResourceTypeName()}, hcl.TraverseAttr{Name: c.Label},
	})
	id := c.Workspace + "/" + c.Conn.ID
	if opts.WriteOnly {
		// The secrets go to write-only attributes: the import keeps them out of state.
		id += importid.WriteOnlySuffix
	}
	imp.SetAttributeValue("id", cty.StringVal(id))
	body.AppendNewline()
	res := body.AppendNewBlock("resource", []string{c.Kind.ResourceTypeName(), c.Label}).Body()
	for _, a := range c.Attributes {
		switch {
		case a.Value != nil:
			res.SetAttributeValue(a.Name, *a.Value)
		case a.Variable != "":
			res.SetAttributeTraversal(a.Name, variableRef(a.Variable))
		default:
			var entries []hclwrite.ObjectAttrTokens
			for _, e := range a.Object {
				value := hclwrite.TokensForTraversal(variableRef(e.Variable))
				if e.Value != nil {
					value = hclwrite.TokensForValue(*e.Value)
				}
				entries = append(entries, hclwrite.ObjectAttrTokens{Name: objectKey(e.Key), Value: value})
			}
			res.SetAttributeRaw(a.Name, hclwrite.TokensForObject(entries))
		}
	}
	out := []byte("\n")
	if len(c.Notes) > 0 {
		lines := []string{"The first plan after importing this connection changes it:"}
		for _, n := range c.Notes {
			lines = append(lines, "- "+n)
		}
		out = append(out, comment(lines...)...)
	}
	out = append(out, comment(fmt.Sprintf("%s/%s, imported by its UUID (its slug may change in OpenHEXA, its UUID never does).",
		c.Workspace, c.Conn.Slug))...)
	return append(out, f.Bytes()...)
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

func variableRef(name string) hcl.Traversal {
	return hcl.Traversal{hcl.TraverseRoot{Name: "var"}, hcl.TraverseAttr{Name: name}}
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
