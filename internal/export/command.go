package export

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
	"github.com/blsq/terraform-provider-openhexa/internal/provider"
)

// DefaultSource is the provider's address in the generated required_providers: fully
// qualified, because a bare "blsq/openhexa" is another address to each CLI, and a lock
// file one writes fails `init -lockfile=readonly` with the other.
const DefaultSource = "registry.opentofu.org/blsq/openhexa"

// Usage is the command's help text.
const Usage = `Usage: terraform-provider-openhexa export (-workspace SLUG ... | -all-workspaces) [flags]

Writes Terraform/OpenTofu configuration for the existing connections of OpenHEXA
workspaces that the directory does not declare yet: per connection an import block
by UUID (id "<workspace>/<uuid>", with "#write-only" appended under -write-only)
and a resource block labelled "<workspace>_<slug>", in <workspace>.tf; a variable
per secret in variables.tf; required_providers in providers.tf unless the directory
already requires the openhexa provider.

What the directory declares already is skipped: every connection whose UUID its
state holds (read with "tofu state pull", else "terraform state pull", in the
root or any module; a directory without backend block or state file needs none),
and, not applied yet, what an import block names by id, or a resource block, in
the root or a local module, by its literal slug, or without slug by its literal
name or the slug that name gives. A block only evaluation could tell, a remote
module or an override file stops the run unless the state holds what it manages.

It never changes a file it did not write: its files start with a marker holding a
checksum, and only an own file nobody edited is rewritten, keeping all it held (an
edited one is left alone and new connections go to <workspace>.2.tf, …). The one
edit it makes to another file is appending to .gitignore. One run at a time per
directory (a lock file); every file is moved into place, or none.

It reads OPENHEXA_URL (else HEXA_SERVER_URL) and OPENHEXA_TOKEN (else HEXA_TOKEN),
and HEXA_VERIFY_SSL=false as the provider does. No secret value is written anywhere
unless -write-secret-values is given, and none is ever printed.

Flags:
`

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

// Main runs the export command with its arguments (after "export") and returns
// the process's exit status: 0 done, 1 failed, 2 wrong usage.
func Main(args []string, stdout, stderr io.Writer, version string) int {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		workspaces stringList
		opts       Options
		caCertFile string
		insecure   bool
	)
	fs.Var(&workspaces, "workspace", "the `SLUG` of a workspace to export (repeatable)")
	fs.BoolVar(&opts.AllWorkspaces, "all-workspaces", false, "export every workspace the token can see")
	fs.StringVar(&opts.Dir, "dir", ".", "`DIR`ectory to write into (created if missing); files the export did not write, or\nthat were edited since, are never changed (but .gitignore, appended to)")
	fs.BoolVar(&opts.AllowUndetermined, "allow-undetermined", false, "go on when the directory has connection blocks whose target only evaluation\ncould tell (count, for_each, expressions, remote modules, override files) and that the\nstate does not hold, taking them to manage none of the exported connections")
	fs.StringVar(&opts.CLI, "cli", "", "the `CLI` that reads the directory's state (state pull): a name on PATH or a path;\ndefault tofu, else terraform")
	fs.StringVar(&opts.CLIWorkspace, "cli-workspace", "", "read the state of this CLI `WORKSPACE` instead of the selected one")
	fs.StringVar(&opts.StateFile, "state", "", "read the state from `FILE` (as state pull prints it) instead of running the CLI")
	fs.BoolVar(&opts.WriteOnly, "write-only", false, "set secrets through the write-only attributes (password_wo, secret_fields_wo, …),\nfed from ephemeral variables (OpenTofu/Terraform 1.11 and later); without it, through the\nsensitive attributes, fed from sensitive variables")
	fs.BoolVar(&opts.WriteSecretValues, "write-secret-values", false, "also write the secret values the token can read into secrets.auto.tfvars\n(mode 0600), and append it to .gitignore unless git already ignores it")
	fs.StringVar(&caCertFile, "ca-cert-file", "", "PEM `FILE` of a certificate authority to trust besides the system's (the provider's ca_cert_file)")
	fs.BoolVar(&insecure, "insecure", false, "skip the verification of the server's TLS certificate (test servers only; also HEXA_VERIFY_SSL=false)")
	fs.Usage = func() {
		_, _ = fmt.Fprint(fs.Output(), Usage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	opts.Workspaces = workspaces
	usageError := func(msg string) int {
		_, _ = fmt.Fprintf(stderr, "export: %s\nRun `terraform-provider-openhexa export -h` for help.\n", msg)
		return 2
	}
	switch {
	case fs.NArg() > 0:
		return usageError(fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
	case opts.AllWorkspaces && len(workspaces) > 0:
		return usageError("give either -workspace or -all-workspaces, not both")
	case !opts.AllWorkspaces && len(workspaces) == 0:
		return usageError("give the workspaces to export: -workspace SLUG (repeatable) or -all-workspaces")
	case opts.StateFile != "" && (opts.CLI != "" || opts.CLIWorkspace != ""):
		return usageError("-state reads a file: give it without -cli and -cli-workspace")
	}
	opts.Source = DefaultSource
	opts.Progress = stderr
	_ = stdout // the export prints nothing on standard output: progress and summary go to stderr

	fail := func(err error) int {
		_, _ = fmt.Fprintf(stderr, "export failed: %s\n", err)
		return 1
	}
	url, token := provider.ResolveURL(""), provider.ResolveToken("")
	switch {
	case url == "":
		return fail(errors.New("set OPENHEXA_URL (or HEXA_SERVER_URL) to the base URL of the OpenHEXA API server, for example https://api.openhexa.org"))
	case token == "":
		return fail(errors.New("set OPENHEXA_TOKEN (or HEXA_TOKEN) to an OpenHEXA access token"))
	}
	var insecureFlag *bool
	if insecure {
		insecureFlag = &insecure
	}
	tlsOpts, insecureFrom, err := provider.ResolveTLS(insecureFlag, caCertFile)
	if err != nil {
		return fail(fmt.Errorf("-ca-cert-file: %w", err))
	}
	httpClient, err := openhexa.NewHTTPClient(tlsOpts)
	if err != nil {
		return fail(fmt.Errorf("-ca-cert-file %s: %w", caCertFile, err))
	}
	if insecureFrom != "" {
		if insecure {
			insecureFrom = "-insecure"
		}
		_, _ = fmt.Fprintf(stderr, "warning: TLS certificate verification is off (%s): anyone on the network path can "+
			"impersonate the server and read the token.\n", insecureFrom)
	}
	client, err := openhexa.NewClient(openhexa.Config{
		URL: url, Token: token, HTTPClient: httpClient,
		UserAgent: "terraform-provider-openhexa/" + version + " export",
	})
	if err != nil {
		return fail(err)
	}
	if warning := provider.PlainHTTPWarning(url, "The export"); warning != "" {
		if opts.WriteSecretValues {
			warning += " With -write-secret-values it reads every secret value the token may read, so all of " +
				"them cross the network unencrypted."
		}
		_, _ = fmt.Fprintf(stderr, "warning: %s\n", warning)
	}
	// An interrupt or a termination (Ctrl+C; a CI runner ending a job it cancels or that
	// timed out) cancels the run's requests and CLI, and the run ends as after any error:
	// its lock and temporary files removed, every file moved into place or none.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if _, err := Run(ctx, client, opts); err != nil {
		if errors.Is(err, ErrRefused) {
			return 1 // the report says which and why
		}
		return fail(err)
	}
	return 0
}
