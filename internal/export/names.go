package export

import (
	"fmt"
	"regexp"
	"strings"
)

// Names are functions of what they name and of nothing else, so that an address
// given by one run is the address every later run gives, whatever else those runs
// export. OpenHEXA's rules make them simple: a workspace slug matches ^[-a-z0-9]+$
// (no '_'), a connection slug and a field code match ^[-a-zA-Z0-9_]+$, and every
// one of those characters may appear in a Terraform name after its first character.

// validWorkspaceSlug reports whether a workspace slug follows OpenHEXA's rule,
// which the names below rely on.
func validWorkspaceSlug(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '-' {
			return false
		}
	}
	return true
}

// validCode reports whether a connection slug or field code follows OpenHEXA's
// rule ^[-a-zA-Z0-9_]+$.
func validCode(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && (r < '0' || r > '9') && r != '-' && r != '_' {
			return false
		}
	}
	return true
}

// resourceLabel is a connection's resource label: "<workspace>_<slug>", both as
// they are (case and '-' kept), with a leading "_" when the workspace slug starts
// with a digit or '-' (a name starts with a letter or '_'). It is injective: the
// workspace slug has no '_', so the first '_' after the optional leading one ends it.
func resourceLabel(workspace, slug string) string {
	return namePrefix(workspace) + workspace + "_" + slug
}

// variableName is the name of the variable of a secret field: a shell name
// ([A-Za-z_][A-Za-z0-9_]*, so that `export TF_VAR_<name>=…` works and GitLab takes
// it as a CI/CD variable key), injective, and never a name the earlier scheme gave
// (oldVariableName in the tests), which directories written before still declare.
//
// The usual case reads plainly: the workspace with each '-' written "__", "__",
// the slug with each '-' written '_', "__", the code as it is
// (malaria-surveillance, dhis2-national, password →
// malaria__surveillance__dhis2_national__password). It applies when the workspace
// starts with a letter and its '-' and the slug's stand alone between letters and
// digits, and the code's '_' likewise: then the slug and the code hold no "__", so
// the last two "__" end the workspace and the slug. Every other name starts with
// "__", which the usual ones never do, and spells each of the three with '-'
// written "_d" and '_' written "_u", separated by "__": a '_' followed by 'd' or
// 'u' belongs to a value, one followed by '_' separates two.
//
// An earlier name never starts with "__" and never has exactly "__" as its first
// run of '_' after a name starting with a letter (its workspace, which holds no
// '_', is followed by one '_' and the slug's own '_' doubled, so by an odd run, or,
// for a slug of '_' only, by a run of four or more): so no name given here was ever
// given to another secret.
func variableName(workspace, slug, code string) string {
	if plainWorkspace.MatchString(workspace) && plainSlug.MatchString(slug) && plainCode.MatchString(code) {
		return strings.ReplaceAll(workspace, "-", "__") + "__" + strings.ReplaceAll(slug, "-", "_") + "__" + code
	}
	return "__" + spelled(workspace) + "__" + spelled(slug) + "__" + spelled(code)
}

var (
	plainWorkspace = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)
	plainSlug      = regexp.MustCompile(`^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$`)
	plainCode      = regexp.MustCompile(`^[A-Za-z0-9]+(_[A-Za-z0-9]+)*$`)
	spelling       = strings.NewReplacer("-", "_d", "_", "_u")
)

// spelled writes '-' as "_d" and '_' as "_u", leaving letters and digits.
func spelled(s string) string { return spelling.Replace(s) }

func namePrefix(workspace string) string {
	if workspace != "" && (workspace[0] < 'a' || workspace[0] > 'z') {
		return "_"
	}
	return ""
}

// checkNameable says why a connection cannot be given names by the functions
// above (never with what OpenHEXA stores; the test server is laxer).
func checkNameable(workspace, slug string, codes []string) error {
	if !validWorkspaceSlug(workspace) {
		return fmt.Errorf("the workspace slug %q is not of the form OpenHEXA gives (^[-a-z0-9]+$), which the "+
			"export's names rely on", workspace)
	}
	if !validCode(slug) {
		return fmt.Errorf("the slug %q is not of the form OpenHEXA accepts (^[-a-zA-Z0-9_]+$)", slug)
	}
	for _, code := range codes {
		if !validCode(code) {
			return fmt.Errorf("the field code %q is not of the form OpenHEXA accepts (^[-a-zA-Z0-9_]+$)", code)
		}
	}
	return nil
}

// Own files are named <base>.tf, then <base>.2.tf, <base>.3.tf, …: a workspace
// slug has no '.', so no numbered name is another workspace's first one.

// workspaceFileBase is the base name of the files a workspace's connections go to:
// its slug, unless that would be the base of the export's other files.
func workspaceFileBase(slug string) string {
	switch slug {
	case variablesBase, providersBase:
		return "workspace-" + slug
	}
	return slug
}

// numberedName is the n-th name (from 1) of an own file.
func numberedName(base, ext string, n int) string {
	if n == 1 {
		return base + ext
	}
	return fmt.Sprintf("%s.%d%s", base, n, ext)
}
