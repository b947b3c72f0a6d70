// Package export writes the configuration of existing OpenHEXA connections: an
// import block and a resource block per connection, a variable per secret, so
// that `plan` imports them with no change. It is the logic behind the
// `terraform-provider-openhexa export` command; everything it knows about the
// resources comes from the table of kinds (connection.Kinds) and their schema.
package export

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/blsq/terraform-provider-openhexa/internal/connection"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
)

// Files the export writes besides one per workspace.
const (
	variablesFile = "variables.tf"
	providersFile = "providers.tf"
	secretsFile   = "secrets.auto.tfvars"
	gitignoreFile = ".gitignore"
)

// API is what the export needs from the OpenHEXA client.
type API interface {
	Me(ctx context.Context) (*openhexa.Me, error)
	Workspace(ctx context.Context, slug string) (*openhexa.Workspace, error)
	Workspaces(ctx context.Context) ([]openhexa.Workspace, error)
	WorkspaceConnections(ctx context.Context, workspace string) ([]openhexa.Connection, error)
}

// Options say what to export and how.
type Options struct {
	// Workspaces are the slugs to export; with AllWorkspaces, every workspace the
	// token can see instead.
	Workspaces    []string
	AllWorkspaces bool
	// Dir is the directory the files go to (created if missing).
	Dir string
	// WriteOnly puts secrets in the write-only twins, fed from ephemeral variables.
	WriteOnly bool
	// WriteSecretValues writes the secret values the token can read into
	// secrets.auto.tfvars (mode 0600) with a .gitignore beside it.
	WriteSecretValues bool
	// Source is where the generated required_providers block points.
	Source string
	// Progress receives one line per workspace and a summary; never a secret value.
	Progress io.Writer
}

// workspaceExport is one exported workspace.
type workspaceExport struct {
	Slug, Name  string
	File        string
	Connections []*connExport
}

// connExport is one exported connection.
type connExport struct {
	Workspace string
	Conn      openhexa.Connection
	Kind      *connection.Kind
	Label     string
	Secrets   []*secretVar
}

// secretVar is one secret field, given to its attribute through a variable.
type secretVar struct {
	Conn  *connExport
	Code  string
	Name  string  // the variable's name
	Value *string // nil when the token could not read it
}

// Result sums up an export.
type Result struct {
	Workspaces  int
	Connections int
	Secrets     int
	// Unreadable counts the secrets whose value the token could not read.
	Unreadable int
	Files      []string
}

// Run exports the connections of the chosen workspaces into opts.Dir. Nothing is
// written unless every workspace could be read.
func Run(ctx context.Context, api API, opts Options) (*Result, error) {
	progress := opts.Progress
	if progress == nil {
		progress = io.Discard
	}
	me, err := api.Me(ctx)
	if err != nil {
		return nil, err
	}
	if me.User == nil {
		return nil, errors.New("the server did not accept the token: check OPENHEXA_TOKEN (or HEXA_TOKEN) and " +
			"that OPENHEXA_URL (or HEXA_SERVER_URL) points at the OpenHEXA server that issued it")
	}
	workspaces, err := chooseWorkspaces(ctx, api, opts, me.User.Email)
	if err != nil {
		return nil, err
	}
	for _, ws := range workspaces {
		conns, err := api.WorkspaceConnections(ctx, ws.Slug)
		if err != nil {
			return nil, fmt.Errorf("listing the connections of workspace %q: %w", ws.Slug, err)
		}
		sort.Slice(conns, func(i, j int) bool { return conns[i].Slug < conns[j].Slug })
		for _, c := range conns {
			kind := connection.KindByAPIType(c.Type)
			if kind == nil {
				return nil, fmt.Errorf("connection %q of workspace %q has the type %q, which this provider does "+
					"not manage", c.Slug, ws.Slug, c.Type)
			}
			ws.Connections = append(ws.Connections, &connExport{Workspace: ws.Slug, Conn: c, Kind: kind})
		}
	}
	assignLabels(workspaces)
	secrets := collectSecrets(workspaces)

	files, result, err := render(workspaces, secrets, opts)
	if err != nil {
		return nil, err
	}
	result.Files, err = writeFiles(opts, files)
	if err != nil {
		return nil, err
	}
	report(progress, workspaces, result, opts)
	return result, nil
}

// chooseWorkspaces resolves the options into the workspaces to export, checking
// that the token sees each one asked for.
func chooseWorkspaces(ctx context.Context, api API, opts Options, user string) ([]*workspaceExport, error) {
	var out []*workspaceExport
	if opts.AllWorkspaces {
		all, err := api.Workspaces(ctx)
		if err != nil {
			return nil, fmt.Errorf("listing the workspaces: %w", err)
		}
		if len(all) == 0 {
			return nil, fmt.Errorf("the token of %s sees no workspace: nothing to export", user)
		}
		for _, ws := range all {
			out = append(out, &workspaceExport{Slug: ws.Slug, Name: ws.Name})
		}
		sort.Slice(out, func(i, j int) bool { return out[i].Slug < out[j].Slug })
	} else {
		var missing []string
		seen := map[string]bool{}
		for _, slug := range opts.Workspaces {
			if seen[slug] {
				continue
			}
			seen[slug] = true
			ws, err := api.Workspace(ctx, slug)
			if err != nil {
				return nil, fmt.Errorf("reading workspace %q: %w", slug, err)
			}
			if ws == nil {
				missing = append(missing, strconv.Quote(slug))
				continue
			}
			out = append(out, &workspaceExport{Slug: ws.Slug, Name: ws.Name})
		}
		if len(missing) > 0 {
			noun := "workspace"
			if len(missing) > 1 {
				noun = "workspaces"
			}
			return nil, fmt.Errorf("%s %s not visible to %s: it does not exist, is archived, or that user is "+
				"not a member (nor an organisation admin). Check the slug (it is in the workspace's URL) and the "+
				"token; nothing was written", noun, strings.Join(missing, ", "), user)
		}
	}
	files := map[string]string{}
	for _, ws := range out {
		ws.File = workspaceFileName(ws.Slug)
		if other, clash := files[ws.File]; clash {
			return nil, fmt.Errorf("workspaces %q and %q would both be written to %s", other, ws.Slug, ws.File)
		}
		files[ws.File] = ws.Slug
	}
	return out, nil
}

// collectSecrets lists every secret field of the exported connections, in
// workspace, connection and schema order, each with a unique variable name.
func collectSecrets(workspaces []*workspaceExport) []*secretVar {
	var out []*secretVar
	names := nameSet{}
	for _, ws := range workspaces {
		for _, c := range ws.Connections {
			for _, code := range secretCodes(c) {
				field, _ := c.Conn.Field(code)
				sv := &secretVar{Conn: c, Code: code, Name: names.take(c.Label + "_" + strings.TrimPrefix(identifier(code), "c_")), Value: field.Value}
				c.Secrets = append(c.Secrets, sv)
				out = append(out, sv)
			}
		}
	}
	return out
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

// report writes the per-workspace lines and the summary. It never prints a value.
func report(w io.Writer, workspaces []*workspaceExport, r *Result, opts Options) {
	for _, ws := range workspaces {
		secrets, unreadable := 0, 0
		for _, c := range ws.Connections {
			for _, s := range c.Secrets {
				secrets++
				if s.Value == nil {
					unreadable++
				}
			}
		}
		line := fmt.Sprintf("%s: %d %s, %d %s", ws.Slug, len(ws.Connections), plural(len(ws.Connections), "connection"),
			secrets, plural(secrets, "secret"))
		if unreadable > 0 {
			line += fmt.Sprintf(" (%d not readable with this token)", unreadable)
		}
		_, _ = fmt.Fprintf(w, "%s → %s\n", line, ws.File)
	}
	_, _ = fmt.Fprintf(w, "Exported %d %s from %d %s into %s: %s.\n", r.Connections, plural(r.Connections, "connection"),
		r.Workspaces, plural(r.Workspaces, "workspace"), opts.Dir, strings.Join(r.Files, ", "))
	if r.Secrets > 0 {
		kind := "sensitive"
		if opts.WriteOnly {
			kind = "ephemeral"
		}
		_, _ = fmt.Fprintf(w, "%d %s declared in %s as %s variables, ", r.Secrets, plural(r.Secrets, "secret"), variablesFile, kind)
		switch {
		case opts.WriteSecretValues && r.Secrets > r.Unreadable:
			_, _ = fmt.Fprintf(w, "%d %s written to %s (mode 0600, kept out of git by %s).\n", r.Secrets-r.Unreadable,
				plural(r.Secrets-r.Unreadable, "value"), secretsFile, gitignoreFile)
		case opts.WriteSecretValues:
			_, _ = fmt.Fprintf(w, "no value written.\n")
		default:
			_, _ = fmt.Fprintf(w, "without values: give each one a value (-var, TF_VAR_<name>, or a .tfvars file kept "+
				"out of version control) before planning; -write-secret-values writes the values this token can "+
				"read into %s.\n", secretsFile)
		}
	}
	if r.Unreadable > 0 {
		_, _ = fmt.Fprintf(w, "%d secret %s could not be read: the token's role (VIEWER?) does not show secret values. "+
			"Those variables need values before planning; the rest of the configuration is complete.\n",
			r.Unreadable, plural(r.Unreadable, "value"))
	}
	_, _ = fmt.Fprintf(w, "Next: run plan in %s; it should show %d to import, 0 to add, 0 to change, 0 to destroy.\n",
		opts.Dir, r.Connections)
}

// plural returns the singular for one, else the singular with an "s".
func plural(n int, singular string) string {
	if n == 1 {
		return singular
	}
	return singular + "s"
}
