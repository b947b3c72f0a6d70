package export

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/blsq/terraform-provider-openhexa/internal/importid"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// dirState is what the directory holds before a run, read once, before anything is
// chosen or written: the files (and which are the export's own, unchanged), and
// what the configuration declares.
type dirState struct {
	// files by name: every regular file of the directory, with its content; exists
	// names every entry, symbolic links and directories too, none of which the
	// export ever replaces.
	files  map[string][]byte
	exists map[string]bool
	// sources are the configuration files as parsed (symbolic links included).
	sources map[string][]byte
	// imports and resources of connections whose target is known.
	imports   []declaredImport
	resources []declaredResource
	// undetermined blocks: of a connection type, or importing into one, whose
	// target cannot be known without evaluating the configuration.
	undetermined []undeterminedBlock
	// addresses used by resource blocks and import targets, each with where.
	addresses map[string]string
	// variables declared, each with where.
	variables map[string]string
	// requiresOpenHEXA: some terraform block lists openhexa in required_providers.
	requiresOpenHEXA bool
}

// declaredImport is an import block with a literal id or identity.
type declaredImport struct {
	ref   importid.Ref
	where string
}

// declaredResource is a connection resource block whose target is known: a slug,
// else a name, in a workspace.
type declaredResource struct {
	address         string
	workspace, slug string
	name            string // set when the block has no slug
	where           string
}

// undeterminedBlock is a block that may manage some connection, but which one
// only evaluation could tell.
type undeterminedBlock struct {
	where, what, why string
}

var connectionType = regexp.MustCompile(`^openhexa_[a-z0-9_]+_connection$`)

// connectionTypeInJSON finds a connection resource type in a JSON configuration.
var connectionTypeInJSON = regexp.MustCompile(`"openhexa_[a-z0-9_]+_connection`)

// scanDir reads the directory's files and parses its configuration (.tf and .tofu
// files, as the CLI does). A file that does not parse stops the run: what it
// declares cannot be known, and the CLI would refuse it too.
func scanDir(dir string, env func(string) string) (*dirState, error) {
	st := &dirState{files: map[string][]byte{}, exists: map[string]bool{}, sources: map[string][]byte{}, addresses: map[string]string{}, variables: map[string]string{}}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", dir, err)
	}
	var bodies []*hclsyntax.Body
	for _, e := range entries {
		name := e.Name()
		st.exists[name] = true
		// A symbolic link to a file is read (its declarations count), never replaced.
		if info, err := os.Stat(filepath.Join(dir, name)); err != nil || !info.Mode().IsRegular() {
			continue
		}
		src, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", name, err)
		}
		if e.Type().IsRegular() {
			st.files[name] = src
		}
		switch {
		case strings.HasSuffix(name, ".tf.json"), strings.HasSuffix(name, ".tofu.json"):
			if m := connectionTypeInJSON.Find(src); m != nil {
				st.undetermined = append(st.undetermined, undeterminedBlock{where: name, what: "a JSON configuration file naming " + strings.TrimPrefix(string(m), `"`), why: "the export reads only native syntax"})
			}
			if strings.Contains(string(src), `"required_providers"`) && strings.Contains(string(src), `"openhexa"`) {
				st.requiresOpenHEXA = true
			}
		case strings.HasSuffix(name, ".tf"), strings.HasSuffix(name, ".tofu"):
			st.sources[name] = src
			file, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
			if diags.HasErrors() {
				return nil, fmt.Errorf("%s does not parse, so what it declares cannot be known (the CLI would refuse "+
					"it too): %s", name, diags.Error())
			}
			if body, ok := file.Body.(*hclsyntax.Body); ok {
				bodies = append(bodies, body)
			}
		}
	}
	providers := providerWorkspaces(bodies, env)
	for _, body := range bodies {
		for _, b := range body.Blocks {
			where := fmt.Sprintf("%s:%d", b.DefRange().Filename, b.DefRange().Start.Line)
			switch b.Type {
			case "terraform":
				for _, rp := range b.Body.Blocks {
					if rp.Type == "required_providers" {
						if _, ok := rp.Body.Attributes["openhexa"]; ok {
							st.requiresOpenHEXA = true
						}
					}
				}
			case "variable":
				if len(b.Labels) == 1 {
					st.variables[b.Labels[0]] = where
				}
			case "resource":
				if len(b.Labels) == 2 {
					st.addresses[b.Labels[0]+"."+b.Labels[1]] = where
					if connectionType.MatchString(b.Labels[0]) {
						st.resource(b, where, providers)
					}
				}
			case "import":
				st.importBlock(b, where)
			}
		}
	}
	sort.Slice(st.undetermined, func(i, j int) bool { return st.undetermined[i].where < st.undetermined[j].where })
	return st, nil
}

// providerWorkspaces maps each openhexa provider configuration ("" for the default,
// else its alias) to its workspace: the literal attribute, else the environment
// the provider reads. A workspace that is an expression maps to nil.
func providerWorkspaces(bodies []*hclsyntax.Body, env func(string) string) map[string]*string {
	fromEnv := func() *string {
		for _, name := range []string{"OPENHEXA_WORKSPACE", "HEXA_WORKSPACE"} {
			if v := env(name); v != "" {
				return &v
			}
		}
		return nil
	}
	out := map[string]*string{"": fromEnv()}
	for _, body := range bodies {
		for _, b := range body.Blocks {
			if b.Type != "provider" || len(b.Labels) != 1 || b.Labels[0] != "openhexa" {
				continue
			}
			alias := ""
			if a, ok := b.Body.Attributes["alias"]; ok {
				alias, _ = literalString(a.Expr)
			}
			ws := fromEnv()
			if a, ok := b.Body.Attributes["workspace"]; ok {
				ws = nil
				if v, ok := literalString(a.Expr); ok {
					ws = &v
				}
			}
			out[alias] = ws
		}
	}
	return out
}

func (st *dirState) resource(b *hclsyntax.Block, where string, providers map[string]*string) {
	address := b.Labels[0] + "." + b.Labels[1]
	undetermined := func(why string) {
		st.undetermined = append(st.undetermined, undeterminedBlock{where: where, what: "resource " + address, why: why})
	}
	attrs := b.Body.Attributes
	for _, meta := range []string{"count", "for_each"} {
		if _, ok := attrs[meta]; ok {
			undetermined("it has " + meta)
			return
		}
	}
	r := declaredResource{address: address, where: where}
	if a, ok := attrs["workspace"]; ok {
		ws, ok := literalString(a.Expr)
		if !ok {
			undetermined("its workspace is an expression")
			return
		}
		r.workspace = ws
	} else {
		alias := ""
		if a, ok := attrs["provider"]; ok {
			if tr, diags := hcl.AbsTraversalForExpr(a.Expr); !diags.HasErrors() && len(tr) == 2 {
				if step, ok := tr[1].(hcl.TraverseAttr); ok {
					alias = step.Name
				}
			}
		}
		ws := providers[alias]
		if ws == nil {
			undetermined("it sets no workspace and its provider's is not a literal (nor OPENHEXA_WORKSPACE)")
			return
		}
		r.workspace = *ws
	}
	if a, ok := attrs["slug"]; ok {
		slug, ok := literalString(a.Expr)
		if !ok {
			undetermined("its slug is an expression")
			return
		}
		r.slug = slug
	} else {
		a, ok := attrs["name"]
		if !ok {
			undetermined("it has neither slug nor name")
			return
		}
		name, ok := literalString(a.Expr)
		if !ok {
			undetermined("it has no slug and its name is an expression")
			return
		}
		r.name = name
	}
	st.resources = append(st.resources, r)
}

func (st *dirState) importBlock(b *hclsyntax.Block, where string) {
	attrs := b.Body.Attributes
	to := ""
	if a, ok := attrs["to"]; ok {
		to = strings.TrimSpace(string(a.Expr.Range().SliceBytes(st.sources[a.Expr.Range().Filename])))
		if tr, diags := hcl.AbsTraversalForExpr(a.Expr); !diags.HasErrors() && len(tr) >= 2 {
			if root, ok := tr[0].(hcl.TraverseRoot); ok && root.Name != "module" {
				if step, ok := tr[1].(hcl.TraverseAttr); ok {
					st.addresses[root.Name+"."+step.Name] = where
				}
			}
		}
	}
	undetermined := func(why string) {
		st.undetermined = append(st.undetermined, undeterminedBlock{where: where, what: "import into " + to, why: why})
	}
	if !strings.Contains(to, "openhexa_") {
		return // not a connection: an import of another provider's resource
	}
	if _, ok := attrs["for_each"]; ok {
		undetermined("it has for_each")
		return
	}
	if a, ok := attrs["id"]; ok {
		id, ok := literalString(a.Expr)
		if !ok {
			undetermined("its id is an expression")
			return
		}
		ref, err := importid.Parse(id)
		if err != nil {
			undetermined("its id is not an import id of the provider")
			return
		}
		st.imports = append(st.imports, declaredImport{ref: ref, where: where})
		return
	}
	if a, ok := attrs["identity"]; ok {
		v, diags := a.Expr.Value(nil)
		if diags.HasErrors() || !v.IsWhollyKnown() || v.IsNull() || !v.CanIterateElements() {
			undetermined("its identity is an expression")
			return
		}
		m := v.AsValueMap()
		if id, ok := m["id"]; ok && id.Type() == cty.String && !id.IsNull() {
			ref := importid.Ref{ID: strings.ToLower(id.AsString())}
			if ws, ok := m["workspace"]; ok && ws.Type() == cty.String && !ws.IsNull() {
				ref.Workspace = ws.AsString()
			}
			st.imports = append(st.imports, declaredImport{ref: ref, where: where})
			return
		}
		undetermined("its identity has no literal id")
		return
	}
	undetermined("it has neither id nor identity")
}

// literalString is the value of an expression that needs no evaluation context
// and is a known string.
func literalString(expr hcl.Expression) (string, bool) {
	v, diags := expr.Value(nil)
	if diags.HasErrors() || v.IsNull() || !v.IsKnown() || v.Type() != cty.String {
		return "", false
	}
	return v.AsString(), true
}

// declaredBy returns where the configuration already declares a connection, and
// how ("" when it does not).
func (st *dirState) declaredBy(workspace, slug, id, name string) string {
	for _, imp := range st.imports {
		if imp.ref.ID != "" && imp.ref.ID == strings.ToLower(id) {
			return fmt.Sprintf("an import block with its id (%s)", imp.where)
		}
		if imp.ref.Slug != "" && imp.ref.Workspace == workspace && imp.ref.Slug == slug {
			return fmt.Sprintf("an import block with its id (%s)", imp.where)
		}
	}
	for _, r := range st.resources {
		if r.workspace != workspace {
			continue
		}
		if r.slug != "" && r.slug == slug {
			return fmt.Sprintf("%s with its slug (%s)", r.address, r.where)
		}
		if r.slug == "" && r.name == name {
			return fmt.Sprintf("%s with its name and no slug (%s)", r.address, r.where)
		}
	}
	return ""
}
