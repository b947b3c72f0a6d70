package export

import (
	"fmt"
	"io"
	"strings"
)

// report writes what the run did: per workspace, what was written where, what was
// skipped or refused and why, what the first plan will change; then the summary
// and what the next plan shows. It never prints a value.
func report(w io.Writer, workspaces []*workspaceExport, r *Result, opts Options) {
	var unreadable, missing []string
	changing := map[*connExport]bool{}
	for _, ws := range workspaces {
		secrets := 0
		for _, c := range ws.Connections {
			secrets += len(c.Secrets)
			for _, s := range c.Secrets {
				switch {
				case s.Missing:
					missing = append(missing, s.Name)
				case s.Value == nil:
					unreadable = append(unreadable, s.Name)
					changing[c] = true
				}
			}
		}
		line := fmt.Sprintf("%s: %d new %s", ws.Slug, len(ws.Connections), plural(len(ws.Connections), "connection"))
		if len(ws.Connections) > 0 {
			line += fmt.Sprintf(", %d %s → %s", secrets, plural(secrets, "secret"), ws.File)
			if ws.Previous != nil {
				line += " (added to what it held)"
			} else if ws.File != workspaceFileBase(ws.Slug)+".tf" {
				line += fmt.Sprintf(" (a new file: %s.tf is not the export's, or was edited since)", workspaceFileBase(ws.Slug))
			}
		}
		if len(ws.Skipped) > 0 {
			line += fmt.Sprintf("; %d already declared, skipped", len(ws.Skipped))
		}
		_, _ = fmt.Fprintln(w, line)
		for _, s := range ws.Skipped {
			_, _ = fmt.Fprintf(w, "  skipped %s\n", s)
		}
		for _, s := range ws.Refused {
			_, _ = fmt.Fprintf(w, "  NOT exported %s\n", s)
		}
		for _, c := range ws.Connections {
			for _, n := range c.Notes {
				_, _ = fmt.Fprintf(w, "  %s/%s changes on the first plan: %s\n", ws.Slug, c.Conn.Slug, n)
			}
			for _, n := range c.SDKNotes {
				_, _ = fmt.Fprintf(w, "  %s/%s: %s\n", ws.Slug, c.Conn.Slug, n)
			}
		}
	}
	if len(r.Files) == 0 {
		_, _ = fmt.Fprintf(w, "Nothing new to export: no file written in %s.\n", opts.Dir)
	} else {
		_, _ = fmt.Fprintf(w, "Exported %d %s into %s, all files moved into place: %s.\n", r.Connections,
			plural(r.Connections, "connection"), opts.Dir, strings.Join(r.Files, ", "))
		for _, n := range r.NewFiles {
			_, _ = fmt.Fprintf(w, "  new file %s\n", n)
		}
	}
	if r.Secrets > 0 {
		kind := "sensitive"
		if opts.WriteOnly {
			kind = "ephemeral"
		}
		_, _ = fmt.Fprintf(w, "%d %s declared as %s variables, ", r.Secrets, plural(r.Secrets, "secret"), kind)
		switch {
		case r.SecretsFile != "":
			_, _ = fmt.Fprintf(w, "%d %s written to %s (mode 0600; %s).\n", r.Secrets-r.Unreadable-r.Missing,
				plural(r.Secrets-r.Unreadable-r.Missing, "value"), r.SecretsFile, r.Gitignore)
		case opts.WriteSecretValues:
			_, _ = fmt.Fprintf(w, "no value written.\n")
		default:
			_, _ = fmt.Fprintf(w, "without values: give each one a value (a .tfvars file kept out of version control, "+
				"-var, or TF_VAR_<name>, which a POSIX shell cannot export when the name has a '-': `env "+
				"'TF_VAR_<name>=…' tofu plan` can) before planning; -write-secret-values writes the values this "+
				"token can read into %s%s.\n", secretsBase, secretsExt)
		}
	}
	if len(missing) > 0 {
		_, _ = fmt.Fprintf(w, "%d required secret %s OpenHEXA does not hold (the notes above say the first apply "+
			"adds them) need values: %s.\n", len(missing), plural(len(missing), "field"), strings.Join(missing, ", "))
	}
	imports := fmt.Sprintf("%d to import, 0 to add, %%d to change, 0 to destroy", r.Connections)
	changes := r.Changes
	if len(unreadable) > 0 {
		for c := range changing {
			if len(c.Notes) == 0 {
				changes++
			}
		}
		_, _ = fmt.Fprintf(w, "%d secret %s could not be read: the token's role (VIEWER) does not show secret values: %s.\n"+
			"Until those variables have values, plan stops and asks for them (with -input=false it fails: \"No value "+
			"for required variable\"). With values, the first plan shows "+imports+": the %d %s whose values "+
			"could not be read get them set, since nothing tells the plan they equal OpenHEXA's; "+
			"applying that needs a token with the ADMIN or EDITOR role in the workspace.\n",
			len(unreadable), plural(len(unreadable), "value"), strings.Join(unreadable, ", "), changes,
			len(changing), plural(len(changing), "connection"))
	}
	if r.Refused > 0 {
		_, _ = fmt.Fprintf(w, "%d %s NOT exported (see above); the others were.\n", r.Refused, plural(r.Refused, "connection"))
	}
	if r.Connections > 0 {
		_, _ = fmt.Fprintf(w, "Next: run plan in %s; for what this run added it should show "+imports+".\n", opts.Dir, changes)
	}
}
