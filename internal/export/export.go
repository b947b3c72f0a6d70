// Package export writes the configuration of existing OpenHEXA connections: an
// import block and a resource block per connection, a variable per secret, so
// that `plan` imports them with no change. It is the logic behind the
// `terraform-provider-openhexa export` command; everything it knows about the
// resources comes from the table of kinds (connection.Kinds) and their schema.
//
// A run goes one way: it takes the directory's lock (lock.go), reads the directory
// (scan.go: which files are the export's own and unchanged, what the root and its
// local modules declare) and what its state manages, by UUID (state.go), then what
// OpenHEXA holds; decides everything (decide.go: what is declared already, what is
// new, names, attributes, files, what stops the run); renders (render.go); moves
// every file into place at once, or none (write.go); and reports (report.go).
package export

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
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
	// target cannot be known without evaluating the configuration, and that the
	// state does not cover.
	AllowUndetermined bool
	// CLI reads the directory's state with `state pull`: a name on PATH or a path;
	// "" finds tofu, else terraform. CLIWorkspace is the CLI workspace whose state
	// to read ("" for the selected one). StateFile, when set, is read instead.
	CLI, CLIWorkspace, StateFile string
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
	// Attributes are its resource block's arguments.
	Attributes []attribute
}

// secretVar is one secret field, given to its attribute through a variable.
type secretVar struct {
	Conn  *connExport
	Code  string
	Name  string  // the variable's name
	Value *string // nil when the token could not read it, or OpenHEXA holds no such field
	// Missing: OpenHEXA holds no such field (a required one: the first apply adds it).
	Missing bool
	// Optional: a built-in secret the kind does not require, which the engine keeps
	// null when OpenHEXA holds it empty.
	Optional bool
}

// unreadable reports whether the token could not read a value OpenHEXA holds.
func (s *secretVar) unreadable() bool { return s.Value == nil && !s.Missing }

// Result sums up an export.
type Result struct {
	// Connections written; Changes among them whose first plan changes something
	// with a token that reads every secret (ADMIN, EDITOR), TokenChanges with the
	// token of the export (more for a VIEWER's, whose unread secrets are set).
	Connections  int
	Changes      int
	TokenChanges int
	// MaybeEmpty are the unread optional secrets (variable names) of connections
	// whose first plan with such a token changes only if OpenHEXA holds them empty:
	// imported as null, then set to "" from the variable.
	MaybeEmpty []string
	Secrets    int
	// Unreadable are the secrets (variable names) whose value the token could not
	// read; Missing those OpenHEXA does not hold.
	Unreadable []string
	Missing    []string
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
	// State says which state was read, and how.
	State string
}

// ErrRefused is returned (with the result) when some connections were refused.
var ErrRefused = errors.New("some connections were not exported")

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
	// The lock needs the directory; one the run made and left empty is removed.
	if _, err := os.Stat(opts.Dir); errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
			return nil, fmt.Errorf("creating %s: %w", opts.Dir, err)
		}
		defer func() { _ = os.Remove(opts.Dir) }()
	}
	unlock, err := lockDir(opts.Dir)
	if err != nil {
		return nil, err
	}
	defer unlock()
	leftovers, err := removeLeftovers(opts.Dir)
	if len(leftovers) > 0 {
		_, _ = fmt.Fprintf(progress, "Removed what earlier runs, killed while writing, left behind: %s.\n",
			strings.Join(leftovers, ", "))
	}
	if err != nil {
		return nil, err
	}

	st, err := scanDir(opts.Dir, opts.Getenv)
	if err != nil {
		return nil, err
	}
	state, err := readState(ctx, st, opts)
	if err != nil {
		return nil, err
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
	listed, err := listConnections(ctx, api, workspaces)
	if err != nil {
		return nil, err
	}

	d, err := decide(opts, st, state, workspaces, listed)
	if err != nil {
		return nil, err
	}
	files := render(d, opts)
	result := d.result
	result.State = state.source
	result.Files, err = writeFiles(opts.Dir, st, files)
	if err != nil {
		return nil, err
	}
	if result.SecretsFile != "" {
		result.Gitignore = describeIgnored(opts.Dir, result.SecretsFile)
	}
	report(progress, d, result, opts)
	if result.Refused > 0 {
		return result, ErrRefused
	}
	return result, nil
}

// listConnections reads the connections of every workspace, by slug.
func listConnections(ctx context.Context, api API, workspaces []*workspaceExport) (map[string][]openhexa.Connection, error) {
	listed := map[string][]openhexa.Connection{}
	for _, ws := range workspaces {
		conns, err := api.WorkspaceConnections(ctx, ws.Slug)
		if err != nil {
			return nil, fmt.Errorf("listing the connections of workspace %q: %w", ws.Slug, err)
		}
		sort.Slice(conns, func(i, j int) bool { return conns[i].Slug < conns[j].Slug })
		for _, c := range conns {
			if connection.KindByAPIType(c.Type) == nil {
				return nil, fmt.Errorf("connection %q of workspace %q has the type %q, which this provider does "+
					"not manage", c.Slug, ws.Slug, c.Type)
			}
		}
		listed[ws.Slug] = conns
	}
	return listed, nil
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

// plural returns the singular for one, else the singular with an "s".
func plural(n int, singular string) string {
	if n == 1 {
		return singular
	}
	return singular + "s"
}
