package export

import (
	"fmt"
	"io"
	"strings"
)

// report writes what the run did, the one place where its summary is said: which
// state it read, per workspace what was written where, what was skipped or refused
// and why, what the first plan will change; then the summary, and what the first plan
// shows with this token and with one that reads every secret. It never prints a value.
func report(w io.Writer, d *decision, r *Result, opts Options) {
	_, _ = fmt.Fprintf(w, "State: %s.\n", r.State)
	if len(d.allowed) > 0 {
		_, _ = fmt.Fprintf(w, "warning: -allow-undetermined: these blocks are taken to manage none of the exported "+
			"connections:\n%s\n", undeterminedLines(d.allowed))
	}
	for _, ws := range d.workspaces {
		secrets := 0
		for _, c := range ws.Connections {
			secrets += len(c.Secrets)
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
		_, _ = fmt.Fprintf(w, "Nothing new to export, in %s: no file written.\n", opts.Dir)
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
			written := r.Secrets - len(r.Unreadable) - len(r.Missing)
			_, _ = fmt.Fprintf(w, "%d %s written to %s (mode 0600; %s).\n", written, plural(written, "value"),
				r.SecretsFile, r.Gitignore)
		case opts.WriteSecretValues:
			_, _ = fmt.Fprintf(w, "no value written.\n")
		default:
			_, _ = fmt.Fprintf(w, "without values: give each one a value (a .tfvars file kept out of version control, "+
				"-var, or TF_VAR_<name>) before planning; -write-secret-values writes the values this token can read "+
				"into %s%s.\n", secretsBase, secretsExt)
		}
	}
	if len(r.Missing) > 0 {
		_, _ = fmt.Fprintf(w, "%d required secret %s OpenHEXA does not hold (the notes above say the first apply "+
			"adds them) need values: %s.\n", len(r.Missing), plural(len(r.Missing), "field"), strings.Join(r.Missing, ", "))
	}
	if len(r.Unreadable) > 0 {
		_, _ = fmt.Fprintf(w, "%d secret %s could not be read: the token's role (VIEWER) does not show secret values: %s.\n"+
			"Until those variables have values, plan stops and asks for them (with -input=false it fails: \"No value "+
			"for required variable\").\n", len(r.Unreadable), plural(len(r.Unreadable), "value"), strings.Join(r.Unreadable, ", "))
	}
	if r.Refused > 0 {
		_, _ = fmt.Fprintf(w, "%d %s NOT exported (see above); the others were.\n", r.Refused, plural(r.Refused, "connection"))
	}
	if r.Connections > 0 {
		counts := func(changes int) string {
			return fmt.Sprintf("%d to import, 0 to add, %d to change, 0 to destroy", r.Connections, changes)
		}
		_, _ = fmt.Fprintf(w, "Next: run plan in %s; for what this run added, it shows with this token: %s.\n",
			opts.Dir, counts(r.TokenChanges))
		if only := r.TokenChanges - r.Changes; only > 0 {
			admin := counts(r.Changes)
			if len(r.MaybeEmpty) > 0 {
				admin += fmt.Sprintf(", plus one change for each of these optional secrets that OpenHEXA holds empty, "+
					"which this token cannot tell (imported as null, then set to \"\"): %s", strings.Join(r.MaybeEmpty, ", "))
			}
			_, _ = fmt.Fprintf(w, "Changes due only to the secrets this token could not read: %d (their variables' "+
				"values are set, since nothing tells the plan they equal OpenHEXA's). With an ADMIN or EDITOR token, "+
				"which reads them, and the values OpenHEXA holds, it shows: %s. Applying needs such a token in any "+
				"case.\n", only, admin)
		}
	}
}
