package export

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/blsq/terraform-provider-openhexa/internal/importid"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/json"
	"github.com/zclconf/go-cty/cty"
)

// dirState is what the directory holds before a run, read once, before anything is
// decided or written: the root's files (and which are the export's own, unchanged),
// and what the configuration declares, in the root and in the local modules it
// calls. What the state manages is read beside it (state.go).
type dirState struct {
	// files by name: every regular file of the root directory that the run may
	// parse or write (configuration, .auto.tfvars, .gitignore), with its content;
	// exists names every entry, symbolic links and directories too, none of which
	// the export ever replaces.
	files  map[string][]byte
	exists map[string]bool
	// sources are the configuration files as parsed, by path from the root.
	sources map[string][]byte
	// imports (the root's: the CLI takes import blocks nowhere else) and
	// resources of connections whose target is known.
	imports   []declaredImport
	resources []declaredResource
	// undetermined blocks: of a connection type, or importing into one, or that
	// could change one, whose target cannot be known without evaluating the
	// configuration; the state may cover them (stateView.covers).
	undetermined []undeterminedBlock
	// addresses used by the root's resource blocks and import targets, each with where.
	addresses map[string]string
	// variables declared in the root, each with where.
	variables map[string]string
	// requiresOpenHEXA: some terraform block of the root lists openhexa in required_providers.
	requiresOpenHEXA bool
	// backends are the root's backend and cloud blocks, which say that a state may
	// exist elsewhere.
	backends []string
	// env reads the environment (the provider's default workspace).
	env func(string) string
}

// declaredImport is an import block with a literal id or identity.
type declaredImport struct {
	ref importid.Ref
	// to is the configuration address of its target (no instance keys).
	to    string
	where string
}

// declaredResource is a connection resource block whose target is known: a slug,
// else a name, in a workspace.
type declaredResource struct {
	// address is its configuration address: module path (no instance keys) and type.name.
	address         string
	workspace, slug string
	name            string // set when the block has no slug
	where           string
}

// undeterminedBlock is a block that may manage some connection, or change what
// another block manages, but which one only evaluation could tell.
type undeterminedBlock struct {
	where, what, why string
	// The state covers the block when it holds these resources (configuration
	// addresses) and something in each of these modules; never when uncoverable.
	addresses, modules []string
	uncoverable        bool
}

// connectionType matches the resource types of connections.
var connectionType = regexp.MustCompile(`^openhexa_[a-z0-9_]+_connection$`)

// configFile is a configuration file of a module, by path from the root.
type configFile struct {
	path     string
	src      []byte
	override bool
}

// moduleScan is a module being read: the root, or a local module it calls.
type moduleScan struct {
	// path is its address prefix ("" for the root, "module.conns", …) and dir its
	// directory from the root.
	path, dir string
	// providers maps each openhexa provider configuration it sees ("" for the
	// default, else its alias) to that configuration's workspace, nil when unknown.
	providers map[string]*string
	// multiplied says why every connection block inside is undetermined (a module
	// called with count or for_each), "" when none is.
	multiplied string
	// chain holds the directories of the calls that lead here, against cycles.
	chain map[string]bool
}

var (
	fileSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
		{Type: "terraform"}, {Type: "provider", LabelNames: []string{"name"}}, {Type: "variable", LabelNames: []string{"name"}},
		{Type: "resource", LabelNames: []string{"type", "name"}}, {Type: "import"}, {Type: "module", LabelNames: []string{"name"}},
	}}
	terraformSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
		{Type: "required_providers"}, {Type: "backend", LabelNames: []string{"type"}}, {Type: "cloud"},
	}}
	requiredProvidersSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "openhexa"}}}
	providerSchema          = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "alias"}, {Name: "workspace"}}}
	resourceSchema          = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "count"}, {Name: "for_each"},
		{Name: "provider"}, {Name: "workspace"}, {Name: "slug"}, {Name: "name"}}}
	importSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "to"}, {Name: "id"}, {Name: "identity"},
		{Name: "for_each"}}}
	moduleSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "source"}, {Name: "count"}, {Name: "for_each"},
		{Name: "providers"}}}
)

// scanDir reads the directory's files and parses its configuration as the CLI
// does (.tf, .tofu and their .json forms), then that of every local module it
// calls. A file that does not parse stops the run: what it declares cannot be
// known, and the CLI would refuse it too.
func scanDir(dir string, env func(string) string) (*dirState, error) {
	st := &dirState{files: map[string][]byte{}, exists: map[string]bool{}, sources: map[string][]byte{},
		addresses: map[string]string{}, variables: map[string]string{}, env: env}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", dir, err)
	}
	var files []configFile
	for _, e := range entries {
		name := e.Name()
		st.exists[name] = true
		// Nothing else is read: a state file, for one, holds every secret.
		if !isConfigFile(name) && !strings.HasSuffix(name, secretsExt) && name != gitignoreFile {
			continue
		}
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
		if isConfigFile(name) {
			files = append(files, configFile{path: name, src: src, override: isOverrideFile(name)})
		}
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	root := moduleScan{providers: map[string]*string{"": st.envWorkspace()}, chain: map[string]bool{abs: true}}
	if err := st.scanModule(dir, root, files); err != nil {
		return nil, err
	}
	sort.SliceStable(st.undetermined, func(i, j int) bool { return st.undetermined[i].where < st.undetermined[j].where })
	return st, nil
}

func isConfigFile(name string) bool {
	for _, ext := range []string{".tf", ".tofu", ".tf.json", ".tofu.json"} {
		if strings.HasSuffix(name, ext) {
			return true
		}
	}
	return false
}

// isOverrideFile reports whether the CLI merges the file into the blocks of the
// others (override.tf, *_override.tf and their .tofu and .json forms).
func isOverrideFile(name string) bool {
	base := strings.TrimSuffix(name, ".json")
	base = strings.TrimSuffix(strings.TrimSuffix(base, ".tf"), ".tofu")
	return base == "override" || strings.HasSuffix(base, "_override")
}

// readModuleFiles reads the configuration files of a module's directory.
func readModuleFiles(absDir, relDir string) ([]configFile, error) {
	entries, err := os.ReadDir(absDir)
	if err != nil {
		return nil, err
	}
	var files []configFile
	for _, e := range entries {
		if !isConfigFile(e.Name()) {
			continue
		}
		full := filepath.Join(absDir, e.Name())
		if info, err := os.Stat(full); err != nil || !info.Mode().IsRegular() {
			continue
		}
		src, err := os.ReadFile(full)
		if err != nil {
			return nil, err
		}
		files = append(files, configFile{path: path.Join(relDir, e.Name()), src: src, override: isOverrideFile(e.Name())})
	}
	return files, nil
}

// envWorkspace is the workspace a provider block without one takes from the
// environment, nil when the environment gives none.
func (st *dirState) envWorkspace() *string {
	for _, name := range []string{"OPENHEXA_WORKSPACE", "HEXA_WORKSPACE"} {
		if v := st.env(name); v != "" {
			return &v
		}
	}
	return nil
}

// parsedFile is a configuration file with its top-level blocks.
type parsedFile struct {
	configFile
	blocks hcl.Blocks
}

func (st *dirState) scanModule(root string, m moduleScan, files []configFile) error {
	var parsed []parsedFile
	for _, f := range files {
		st.sources[f.path] = f.src
		var body hcl.Body
		var diags hcl.Diagnostics
		if strings.HasSuffix(f.path, ".json") {
			var file *hcl.File
			if file, diags = json.Parse(f.src, f.path); file != nil {
				body = file.Body
			}
		} else {
			var file *hcl.File
			if file, diags = hclsyntax.ParseConfig(f.src, f.path, hcl.InitialPos); file != nil {
				body = file.Body
			}
		}
		if !diags.HasErrors() {
			var content *hcl.BodyContent
			content, _, diags = body.PartialContent(fileSchema)
			if !diags.HasErrors() {
				parsed = append(parsed, parsedFile{configFile: f, blocks: content.Blocks})
				continue
			}
		}
		return fmt.Errorf("%s does not parse, so what it declares cannot be known (the CLI would refuse it too): %s",
			f.path, diags.Error())
	}

	providers := map[string]*string{}
	for k, v := range m.providers {
		providers[k] = v
	}
	var providerOverrides []string
	for _, f := range parsed {
		for _, b := range f.blocks.OfType("provider") {
			if b.Labels[0] != "openhexa" {
				continue
			}
			content, _, _ := b.Body.PartialContent(providerSchema)
			alias := ""
			if a, ok := content.Attributes["alias"]; ok {
				alias, _ = literalString(a.Expr)
			}
			if f.override {
				providerOverrides = append(providerOverrides, where(b))
				providers[alias] = nil
				continue
			}
			ws := st.envWorkspace()
			if a, ok := content.Attributes["workspace"]; ok {
				ws = nil
				if v, ok := literalString(a.Expr); ok {
					ws = &v
				}
			}
			providers[alias] = ws
		}
	}

	// The connection blocks of this module that take their workspace from a
	// provider, which an override of that provider could change.
	var byProvider []string
	for _, f := range parsed {
		for _, b := range f.blocks {
			switch b.Type {
			case "terraform":
				if m.path == "" {
					st.terraformBlock(b)
				}
			case "variable":
				if m.path == "" {
					st.variables[b.Labels[0]] = where(b)
				}
			case "resource":
				local := b.Labels[0] + "." + b.Labels[1]
				if m.path == "" {
					st.addresses[local] = where(b)
				}
				if connectionType.MatchString(b.Labels[0]) {
					if st.resource(b, m, f.override, providers) {
						byProvider = append(byProvider, joinAddress(m.path, local))
					}
				}
			case "import":
				if m.path == "" {
					st.importBlock(b, f.override)
				}
			case "module":
				if err := st.moduleCall(root, b, m, f.override, providers); err != nil {
					return err
				}
			}
		}
	}
	for _, at := range providerOverrides {
		st.undetermined = append(st.undetermined, undeterminedBlock{where: at, what: "provider openhexa",
			why:       "it is in an override file, which can change the workspace of the connection blocks without one",
			addresses: byProvider})
	}
	return nil
}

// where is a block's file and line.
func where(b *hcl.Block) string {
	return fmt.Sprintf("%s:%d", b.DefRange.Filename, b.DefRange.Start.Line)
}

func joinAddress(modulePath, local string) string {
	if modulePath == "" {
		return local
	}
	return modulePath + "." + local
}

func (st *dirState) terraformBlock(b *hcl.Block) {
	content, _, _ := b.Body.PartialContent(terraformSchema)
	for _, inner := range content.Blocks {
		switch inner.Type {
		case "required_providers":
			rp, _, _ := inner.Body.PartialContent(requiredProvidersSchema)
			if _, ok := rp.Attributes["openhexa"]; ok {
				st.requiresOpenHEXA = true
			}
		case "backend":
			st.backends = append(st.backends, fmt.Sprintf("a backend %q block (%s)", inner.Labels[0], where(inner)))
		case "cloud":
			st.backends = append(st.backends, fmt.Sprintf("a cloud block (%s)", where(inner)))
		}
	}
}

// resource reads a connection resource block; it reports whether the block takes
// its workspace from a provider.
func (st *dirState) resource(b *hcl.Block, m moduleScan, override bool, providers map[string]*string) bool {
	address := joinAddress(m.path, b.Labels[0]+"."+b.Labels[1])
	at := where(b)
	undetermined := func(why string) {
		st.undetermined = append(st.undetermined, undeterminedBlock{where: at, what: "resource " + address, why: why,
			addresses: []string{address}})
	}
	content, _, diags := b.Body.PartialContent(resourceSchema)
	attrs := content.Attributes
	_, ownWorkspace := attrs["workspace"]
	switch {
	case diags.HasErrors():
		undetermined("it does not read as a resource block")
		return !ownWorkspace
	case override:
		undetermined("it is in an override file, which can change any argument of the block it merges into")
		return false
	case m.multiplied != "":
		undetermined(m.multiplied)
		return !ownWorkspace
	}
	for _, meta := range []string{"count", "for_each"} {
		if _, ok := attrs[meta]; ok {
			undetermined("it has " + meta)
			return !ownWorkspace
		}
	}
	r := declaredResource{address: address, where: at}
	if a, ok := attrs["workspace"]; ok {
		ws, ok := literalString(a.Expr)
		if !ok {
			undetermined("its workspace is an expression")
			return false
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
			return true
		}
		r.workspace = *ws
	}
	if a, ok := attrs["slug"]; ok {
		slug, ok := literalString(a.Expr)
		if !ok {
			undetermined("its slug is an expression")
			return !ownWorkspace
		}
		r.slug = slug
	} else {
		a, ok := attrs["name"]
		if !ok {
			undetermined("it has neither slug nor name")
			return !ownWorkspace
		}
		name, ok := literalString(a.Expr)
		if !ok {
			undetermined("it has no slug and its name is an expression")
			return !ownWorkspace
		}
		r.name = name
	}
	st.resources = append(st.resources, r)
	return !ownWorkspace
}

func (st *dirState) importBlock(b *hcl.Block, override bool) {
	at := where(b)
	content, _, _ := b.Body.PartialContent(importSchema)
	attrs := content.Attributes
	to, text := "", ""
	if a, ok := attrs["to"]; ok {
		text = exprText(a.Expr, st.sources[a.Expr.Range().Filename])
		if address, ok := configAddress(text); ok {
			to = address
			if !strings.HasPrefix(address, "module.") {
				st.addresses[address] = at
			}
		}
	}
	if !strings.Contains(text, "openhexa_") {
		return // not a connection: an import of another provider's resource
	}
	undetermined := func(why string) {
		st.undetermined = append(st.undetermined, undeterminedBlock{where: at, what: "import into " + text, why: why,
			addresses: []string{to}, uncoverable: to == ""})
	}
	if override {
		undetermined("it is in an override file")
		return
	}
	if _, ok := attrs["for_each"]; ok {
		undetermined("it has for_each")
		return
	}
	if to == "" {
		undetermined("its to is not an address")
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
		st.imports = append(st.imports, declaredImport{ref: ref, to: to, where: at})
		return
	}
	if a, ok := attrs["identity"]; ok {
		v, diags := a.Expr.Value(&hcl.EvalContext{})
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
			st.imports = append(st.imports, declaredImport{ref: ref, to: to, where: at})
			return
		}
		undetermined("its identity has no literal id")
		return
	}
	undetermined("it has neither id nor identity")
}

// moduleCall follows a module call into its source when that is a local directory;
// any other source, or one the export cannot read, is undetermined.
func (st *dirState) moduleCall(root string, b *hcl.Block, m moduleScan, override bool, providers map[string]*string) error {
	childPath := joinAddress(m.path, "module."+b.Labels[0])
	at := where(b)
	undetermined := func(why string) {
		st.undetermined = append(st.undetermined, undeterminedBlock{where: at, what: "module " + childPath, why: why,
			modules: []string{childPath}})
	}
	if override {
		undetermined("it is in an override file, which can change its source")
		return nil
	}
	content, _, _ := b.Body.PartialContent(moduleSchema)
	attrs := content.Attributes
	a, ok := attrs["source"]
	if !ok {
		return nil // the CLI refuses it
	}
	source, ok := literalString(a.Expr)
	if !ok {
		undetermined("its source is an expression")
		return nil
	}
	if !strings.HasPrefix(source, "./") && !strings.HasPrefix(source, "../") {
		undetermined(fmt.Sprintf("its source %q is not a local directory, so the export cannot read what it declares", source))
		return nil
	}
	childDir := path.Join(m.dir, source)
	abs, err := filepath.Abs(filepath.Join(root, filepath.FromSlash(childDir)))
	if err != nil {
		return err
	}
	if m.chain[abs] {
		undetermined("its source is a module that calls it")
		return nil
	}
	files, err := readModuleFiles(abs, childDir)
	if err != nil {
		undetermined(fmt.Sprintf("its source directory %s cannot be read (%v)", childDir, err))
		return nil
	}
	child := moduleScan{path: childPath, dir: childDir, multiplied: m.multiplied, chain: map[string]bool{abs: true},
		providers: st.childProviders(providers, attrs["providers"])}
	for dir := range m.chain {
		child.chain[dir] = true
	}
	for _, meta := range []string{"count", "for_each"} {
		if _, ok := attrs[meta]; ok && child.multiplied == "" {
			child.multiplied = fmt.Sprintf("its module is called with %s (%s)", meta, at)
		}
	}
	return st.scanModule(root, child, files)
}

// childProviders is what a module call passes down: the caller's default openhexa
// configuration, or, with a providers argument, exactly what it maps (a default
// it leaves out is an empty configuration, which reads the environment).
func (st *dirState) childProviders(parent map[string]*string, mapping *hcl.Attribute) map[string]*string {
	if mapping == nil {
		return map[string]*string{"": parent[""]}
	}
	child := map[string]*string{"": st.envWorkspace()}
	pairs, diags := hcl.ExprMap(mapping.Expr)
	if diags.HasErrors() {
		return map[string]*string{}
	}
	for _, pair := range pairs {
		name, alias, ok := providerRef(pair.Key)
		if !ok || name != "openhexa" {
			continue
		}
		child[alias] = nil
		if fromName, fromAlias, ok := providerRef(pair.Value); ok && fromName == "openhexa" {
			child[alias] = parent[fromAlias]
		}
	}
	return child
}

// providerRef reads `name` or `name.alias`.
func providerRef(expr hcl.Expression) (name, alias string, ok bool) {
	tr, diags := hcl.AbsTraversalForExpr(expr)
	if diags.HasErrors() || len(tr) == 0 || len(tr) > 2 {
		return "", "", false
	}
	name = tr.RootName()
	if len(tr) == 2 {
		step, isAttr := tr[1].(hcl.TraverseAttr)
		if !isAttr {
			return "", "", false
		}
		alias = step.Name
	}
	return name, alias, true
}

// exprText is an expression as written: a string's value (JSON writes addresses
// as strings), else its source text.
func exprText(expr hcl.Expression, src []byte) string {
	if s, ok := literalString(expr); ok {
		return s
	}
	return strings.TrimSpace(string(expr.Range().SliceBytes(src)))
}

// configAddress reads a resource address as a configuration address: module
// calls and the resource, without instance keys (module.a["x"].t.n[0] →
// module.a.t.n).
func configAddress(text string) (string, bool) {
	var b strings.Builder
	depth, quote := 0, false
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case quote && c == '\\':
			i++
		case quote:
			quote = c != '"'
		case c == '"' && depth > 0:
			quote = true
		case c == '[':
			depth++
		case c == ']':
			if depth == 0 {
				return "", false
			}
			depth--
		case depth == 0:
			b.WriteByte(c)
		}
	}
	parts := strings.Split(b.String(), ".")
	if depth != 0 || len(parts) < 2 || len(parts)%2 != 0 {
		return "", false
	}
	for i, p := range parts {
		if !hclsyntax.ValidIdentifier(p) || (i%2 == 0 && i < len(parts)-2 && p != "module") {
			return "", false
		}
	}
	if parts[len(parts)-2] == "module" {
		return "", false
	}
	return strings.Join(parts, "."), true
}

// literalString is the value of an expression that needs no variable nor function
// and is a known string.
func literalString(expr hcl.Expression) (string, bool) {
	v, diags := expr.Value(&hcl.EvalContext{})
	if diags.HasErrors() || v.IsNull() || !v.IsKnown() || v.Type() != cty.String {
		return "", false
	}
	return v.AsString(), true
}
