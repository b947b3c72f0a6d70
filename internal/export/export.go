// Package export writes the configuration of existing OpenHEXA connections: an
// import block and a resource block per connection, a variable per secret, so
// that `plan` imports them with no change. It is the logic behind the
// `terraform-provider-openhexa export` command; everything it knows about the
// resources comes from the table of kinds (connection.Kinds) and their schema.
//
// A run reads the directory first (scan.go: which files are the export's own and
// unchanged, what the configuration declares), then chooses what is new, renders
// it (render.go) and moves every file into place at once, or none (write.go).
package export

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/blsq/terraform-provider-openhexa/internal/connection"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
)

// Base names of the files the export writes besides the workspaces' (own files
// are numbered when the first name is taken: names.go).
const (
	variablesBase = "variables"
	providersBase = "providers"
	secretsBase   = "secrets"
	secretsExt    = ".auto.tfvars"
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
	// secrets.auto.tfvars (mode 0600) with a .gitignore entry for it.
	WriteSecretValues bool
	// AllowUndetermined goes on when the directory has connection blocks whose
	// target cannot be known without evaluating the configuration.
	AllowUndetermined bool
	// Source is where the generated required_providers block points.
	Source string
	// Progress receives one line per workspace and a summary; never a secret value.
	Progress io.Writer
	// Getenv reads the environment (the provider's default workspace); os.Getenv
	// when nil.
	Getenv func(string) string
}

// workspaceExport is one exported workspace.
type workspaceExport struct {
	Slug, Name string
	// File is where its new connections go; Previous what that own file held.
	File     string
	Previous []byte
	// Connections are the new ones, to write; Skipped and Refused the others.
	Connections []*connExport
	Skipped     []string
	Refused     []string
}

// connExport is one exported connection.
type connExport struct {
	Workspace string
	Conn      openhexa.Connection
	Kind      *connection.Kind
	Label     string
	Secrets   []*secretVar
	// Notes say what the first plan after the import changes, and why; SDKNotes what
	// the OpenHEXA SDK cannot read of it.
	Notes    []string
	SDKNotes []string
	// Rendered are its blocks.
	Rendered []byte
}

// secretVar is one secret field, given to its attribute through a variable.
type secretVar struct {
	Conn  *connExport
	Code  string
	Name  string  // the variable's name
	Value *string // nil when the token could not read it, or OpenHEXA holds no such field
	// Missing: OpenHEXA holds no such field (a required one: the first apply adds it).
	Missing bool
}

// unreadable reports whether the token could not read a value OpenHEXA holds.
func (s *secretVar) unreadable() bool { return s.Value == nil && !s.Missing }

// Result sums up an export.
type Result struct {
	Workspaces int
	// Connections written; Changes among them whose first plan changes something.
	Connections int
	Changes     int
	Secrets     int
	// Unreadable counts the secrets whose value the token could not read; Missing
	// those OpenHEXA does not hold.
	Unreadable int
	Missing    int
	// Skipped connections are declared already; Refused ones could not be written.
	Skipped int
	Refused int
	// Files moved into place (NewFiles: those written beside a first name taken,
	// and why), and where the secret values went.
	Files       []string
	NewFiles    []string
	SecretsFile string
	// Gitignore says how the secret values are kept out of git.
	Gitignore string
}

// ErrRefused is returned (with the result) when some connections were refused.
var ErrRefused = errors.New("some connections were not exported")

// importNotes says what the first plan after importing a connection changes.
var importNotes = connection.ImportNotes

// Run exports the connections of the chosen workspaces into opts.Dir: those the
// directory does not declare yet. Nothing is written unless every workspace could
// be read and every file can be moved into place.
func Run(ctx context.Context, api API, opts Options) (*Result, error) {
	progress := opts.Progress
	if progress == nil {
		progress = io.Discard
	}
	if opts.Getenv == nil {
		opts.Getenv = os.Getenv
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
	st, err := scanDir(opts.Dir, opts.Getenv)
	if err != nil {
		return nil, err
	}
	if len(st.undetermined) > 0 {
		var lines []string
		for _, u := range st.undetermined {
			lines = append(lines, fmt.Sprintf("  %s: %s (%s)", u.where, u.what, u.why))
		}
		if !opts.AllowUndetermined {
			return nil, fmt.Errorf("the directory has blocks that may manage OpenHEXA connections, but which ones cannot "+
				"be known without evaluating the configuration:\n%s\nAn export could declare one of those connections "+
				"a second time. Nothing was written. Run again with -allow-undetermined once you know they manage "+
				"none of the connections exported (the plan would then show a connection imported twice)",
				strings.Join(lines, "\n"))
		}
		_, _ = fmt.Fprintf(progress, "warning: -allow-undetermined: these blocks are taken to manage none of the "+
			"exported connections:\n%s\n", strings.Join(lines, "\n"))
	}
	for _, ws := range workspaces {
		conns, err := api.WorkspaceConnections(ctx, ws.Slug)
		if err != nil {
			return nil, fmt.Errorf("listing the connections of workspace %q: %w", ws.Slug, err)
		}
		sort.Slice(conns, func(i, j int) bool { return conns[i].Slug < conns[j].Slug })
		sdkNotes := connection.SDKNotes(conns)
		for _, c := range conns {
			kind := connection.KindByAPIType(c.Type)
			if kind == nil {
				return nil, fmt.Errorf("connection %q of workspace %q has the type %q, which this provider does "+
					"not manage", c.Slug, ws.Slug, c.Type)
			}
			choose(st, ws, &connExport{Workspace: ws.Slug, Conn: c, Kind: kind, SDKNotes: sdkNotes[c.ID]}, opts)
		}
	}

	files, result := render(st, workspaces, opts)
	result.Files, err = writeFiles(opts.Dir, st, files)
	if err != nil {
		return nil, err
	}
	if result.SecretsFile != "" {
		result.Gitignore = describeIgnored(opts.Dir, result.SecretsFile)
	}
	report(progress, workspaces, result, opts)
	if result.Refused > 0 {
		return result, ErrRefused
	}
	return result, nil
}

// choose decides what becomes of a connection: skipped when the directory declares
// it already, refused when its names are taken by something else, else exported.
func choose(st *dirState, ws *workspaceExport, c *connExport, opts Options) {
	id := ws.Slug + "/" + c.Conn.Slug
	if by := st.declaredBy(ws.Slug, c.Conn.Slug, c.Conn.ID, c.Conn.Name); by != "" {
		ws.Skipped = append(ws.Skipped, fmt.Sprintf("%s: declared by %s", id, by))
		return
	}
	// Only secret codes go into names (variables); the others are quoted map keys.
	var codes []string
	for _, f := range c.Conn.Fields {
		if f.Secret {
			codes = append(codes, f.Code)
		}
	}
	if err := checkNameable(ws.Slug, c.Conn.Slug, codes); err != nil {
		ws.Refused = append(ws.Refused, fmt.Sprintf("%s: %s", id, err))
		return
	}
	c.Label = resourceLabel(ws.Slug, c.Conn.Slug)
	address := c.Kind.ResourceTypeName() + "." + c.Label
	if where, taken := st.addresses[address]; taken {
		ws.Refused = append(ws.Refused, fmt.Sprintf("%s: its address %s is already used in %s, by a block that "+
			"declares another connection (or none); rename that block, or import %s by hand", id, address, where, id))
		return
	}
	for _, code := range secretCodes(c) {
		field, held := c.Conn.Field(code)
		sv := &secretVar{Conn: c, Code: code, Name: variableName(ws.Slug, c.Conn.Slug, code), Value: field.Value, Missing: !held}
		if where, taken := st.variables[sv.Name]; taken {
			ws.Refused = append(ws.Refused, fmt.Sprintf("%s: the variable %s for its secret %q is already declared "+
				"in %s; remove that declaration if it was for this connection, or import %s by hand", id, sv.Name,
				code, where, id))
			return
		}
		c.Secrets = append(c.Secrets, sv)
	}
	c.Notes = importNotes(c.Conn)
	rendered, err := renderConnection(c, opts)
	if err != nil {
		ws.Refused = append(ws.Refused, fmt.Sprintf("%s: %s", id, err))
		return
	}
	c.Rendered = rendered
	ws.Connections = append(ws.Connections, c)
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
		return out, nil
	}
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
	return out, nil
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

// plural returns the singular for one, else the singular with an "s".
func plural(n int, singular string) string {
	if n == 1 {
		return singular
	}
	return singular + "s"
}
