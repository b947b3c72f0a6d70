package export

import (
	"fmt"
	"strings"
)

// Names are functions of what they name and of nothing else, so that an address
// given by one run is the address every later run gives (and recognises), whatever
// else those runs export. OpenHEXA's rules make them simple: a workspace slug
// matches ^[-a-z0-9]+$ (no '_'), a connection slug and a field code match
// ^[-a-zA-Z0-9_]+$, and every one of those characters may appear in a Terraform
// name after its first character.

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

// variableName is the name of the variable of a secret field: the workspace as
// in resourceLabel, "_", the slug with each '_' doubled, "_", the field code, with a
// leading '-' added when the code starts with '_' or '-'. It is injective: after the
// workspace, a '_' followed by another '_' is one of the slug's, and a single one
// ends the slug (the code written after it never starts with '_').
func variableName(workspace, slug, code string) string {
	if strings.HasPrefix(code, "_") || strings.HasPrefix(code, "-") {
		code = "-" + code
	}
	return namePrefix(workspace) + workspace + "_" + strings.ReplaceAll(slug, "_", "__") + "_" + code
}

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
