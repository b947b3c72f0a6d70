package connection_test

// Integrity tests driven through the OpenTofu CLI itself (like
// TestAccConcurrency200ConnectionsUnderFaults): an apply killed part-way must never
// lead to a connection created twice, and a token that lost access to the workspace
// must never make the provider forget what it manages.
//
// Both run against the in-process test server by default, or against a real
// OpenHEXA when OPENHEXA_ACC_URL is set (see targetFor in target_test.go; scripts/
// real-openhexa-env.sh prints the variables for the local real instance). On a real
// instance every name and slug carries a per-run prefix `tfacc-<random>-`, every
// check of what the server holds goes through the API, and every connection whose
// slug starts with the prefix is deleted when the test ends, pass or fail.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	mathrand "math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/blsq/terraform-provider-openhexa/internal/acctest"
	"github.com/blsq/terraform-provider-openhexa/internal/connection"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
	"github.com/blsq/terraform-provider-openhexa/internal/slug"
)

// ---------------------------------------------------------------------------
// A proxy that answers mutations late, after the server applied them.

// lateProxy forwards every request to the target at once, and holds the answer of a
// mutation for a delay (between delay and twice that) before passing it on. A request whose client is gone is still
// completed upstream: this is what the real OpenHEXA does when its HTTP client dies
// (the test server's own SetLatency and FaultDelay instead abandon the request before
// applying it, so a killed create would never be stored), and it makes every create
// in flight at the kill an orphan: on the server, not in state.
type lateProxy struct {
	upstream string
	delay    atomic.Int64
	inflight atomic.Int64
	client   *http.Client
	ts       *httptest.Server
}

func startLateProxy(t *testing.T, upstream string) *lateProxy {
	p := &lateProxy{upstream: strings.TrimRight(upstream, "/"), client: &http.Client{Timeout: 2 * time.Minute}}
	p.ts = httptest.NewServer(p)
	t.Cleanup(p.ts.Close)
	return p
}

func (p *lateProxy) URL() string { return p.ts.URL }

func (p *lateProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.inflight.Add(1)
	defer p.inflight.Add(-1)
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	var op struct {
		OperationName string `json:"operationName"`
	}
	_ = json.Unmarshal(body, &op)
	out, err := http.NewRequestWithContext(context.WithoutCancel(r.Context()), r.Method, p.upstream+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		http.Error(w, "proxy: bad request", http.StatusBadGateway)
		return
	}
	out.Header = r.Header.Clone()
	resp, err := p.client.Do(out)
	if err != nil {
		http.Error(w, "proxy: upstream failed", http.StatusBadGateway)
		return
	}
	answer, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if d := time.Duration(p.delay.Load()); d > 0 && strings.HasSuffix(op.OperationName, "Connection") &&
		(strings.HasPrefix(op.OperationName, "Create") || strings.HasPrefix(op.OperationName, "Update") || strings.HasPrefix(op.OperationName, "Delete")) {
		// Between d and 2d, so that answers do not come back in lock-step batches.
		timer := time.NewTimer(d + mathrand.N(d))
		select {
		case <-timer.C:
		case <-r.Context().Done():
			timer.Stop()
			return // applied upstream; the answer is lost
		}
	}
	for k, vs := range resp.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = w.Write(answer)
}

// settle waits until no request is in flight upstream.
func (p *lateProxy) settle(t *testing.T) {
	deadline := time.Now().Add(time.Minute)
	for p.inflight.Load() > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("proxy: %d request(s) still in flight after a minute", p.inflight.Load())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// ---------------------------------------------------------------------------
// The CLI.

// tofuCLI runs the CLI in one configuration directory with the provider built as a
// binary and served by a dev override (no registry, no init).
type tofuCLI struct {
	cli       string
	plugins   string
	cliConfig string
	work      string
	env       []string // more environment for every call (NAME=value)
}

func requireCLI(t *testing.T) string {
	t.Helper()
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if os.Getenv("TF_ACC") == "" || cli == "" {
		t.Skip("acceptance test: set TF_ACC and TF_ACC_TERRAFORM_PATH (make testacc)")
	}
	return cli
}

// buildProvider builds the provider binary into dir/plugins.
func buildProvider(ctx context.Context, t *testing.T, dir string) string {
	t.Helper()
	plugins := filepath.Join(dir, "plugins")
	build := exec.CommandContext(ctx, "go", "build", "-o", filepath.Join(plugins, "terraform-provider-openhexa"), "../..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the provider: %v\n%s", err, out)
	}
	return plugins
}

func newTofuCLI(t *testing.T, cli, plugins string) *tofuCLI {
	t.Helper()
	dir := t.TempDir()
	tf := &tofuCLI{cli: cli, plugins: plugins, cliConfig: filepath.Join(dir, "cli.tfrc"), work: filepath.Join(dir, "config")}
	writeFile(t, tf.cliConfig, acctest.DevOverrideConfig(plugins, filepath.Join(dir, "empty-mirror")))
	return tf
}

// command prepares one CLI call acting with token (given to the provider as
// OPENHEXA_TOKEN, never written to a file), in its own process group.
func (tf *tofuCLI) command(ctx context.Context, token string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, tf.cli, args...)
	cmd.Dir = tf.work
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "OPENHEXA_") || strings.HasPrefix(name, "HEXA_") || strings.HasPrefix(name, "TF_LOG") ||
			name == "TF_CLI_CONFIG_FILE" {
			continue
		}
		env = append(env, kv)
	}
	cmd.Env = append(env, "TF_CLI_CONFIG_FILE="+tf.cliConfig, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "OPENHEXA_TOKEN="+token)
	cmd.Env = append(cmd.Env, tf.env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 10 * time.Second
	return cmd
}

// run runs one CLI call to its end and returns its combined output and exit code
// (-1 when it did not run or was killed).
func (tf *tofuCLI) run(ctx context.Context, token string, args ...string) (string, int) {
	cmd := tf.command(ctx, token, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return out.String(), 0
	case errors.As(err, &exit) && exit.ExitCode() >= 0:
		return out.String(), exit.ExitCode()
	}
	return out.String() + "\n(run: " + err.Error() + ")", -1
}

// stateList returns `state list`, sorted (nil when there is no state yet).
func (tf *tofuCLI) stateList(ctx context.Context, t *testing.T) []string {
	t.Helper()
	out, code := tf.run(ctx, "unused", "state", "list")
	if code != 0 {
		if strings.Contains(out, "No state file was found") {
			return nil
		}
		t.Fatalf("state list failed (exit %d):\n%s", code, tail(out))
	}
	var addrs []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			addrs = append(addrs, line)
		}
	}
	sort.Strings(addrs)
	return addrs
}

// stateIDs returns the connection ids the state holds, sorted (from show -json; the
// output, which holds secrets, is never logged).
func (tf *tofuCLI) stateIDs(ctx context.Context, t *testing.T) []string {
	t.Helper()
	out, code := tf.run(ctx, "unused", "show", "-json", "-no-color")
	if code != 0 {
		t.Fatalf("show -json failed (exit %d)", code)
	}
	return stateConnectionIDs(t, out)
}

// ---------------------------------------------------------------------------
// The configuration.

// declaredConnection is one connection resource of a test configuration.
type declaredConnection struct {
	kind     *connection.Kind
	local    string // the resource's local name
	name     string
	slug     string // the slug the server must hold: the explicit one, or the one derived from name
	explicit bool
}

func (d declaredConnection) address() string { return d.kind.ResourceTypeName() + "." + d.local }

// integrityConnections declares n connections cycling through every kind, named with
// the prefix (some names need transliteration); those whose index is in explicit
// carry an explicit slug, the others let the server derive it from the name.
func integrityConnections(t *testing.T, prefix string, n int, explicit ...int) []declaredConnection {
	t.Helper()
	isExplicit := map[int]bool{}
	for _, i := range explicit {
		isExplicit[i] = true
	}
	var decls []declaredConnection
	for i := 0; i < n; i++ {
		kind := connection.Kinds[i%len(connection.Kinds)]
		name := fmt.Sprintf("%s%s %d", prefix, kind.Title, i)
		if i%5 == 2 {
			name = fmt.Sprintf("%sDonnées d'été %s %d", prefix, kind.Title, i)
		}
		d := declaredConnection{kind: kind, local: fmt.Sprintf("c%02d", i), name: name}
		if isExplicit[i] {
			d.slug, d.explicit = fmt.Sprintf("%sexplicit_%d", prefix, i), true
		} else {
			derived, ok := slug.Derive(name)
			if !ok {
				t.Fatalf("no slug derives from %q", name)
			}
			d.slug = derived
		}
		decls = append(decls, d)
	}
	return decls
}

// integrityConfig renders the configuration; the token comes from OPENHEXA_TOKEN.
func integrityConfig(url, workspace string, decls []declaredConnection) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, `terraform {
  required_providers {
    openhexa = { source = "blsq/openhexa" }
  }
}

provider "openhexa" {
  url         = %q
  workspace   = %q
  max_retries = 3
}
`, url, workspace)
	for _, d := range decls {
		fmt.Fprintf(&sb, "\nresource %q %q {\n  name = %q\n", d.kind.ResourceTypeName(), d.local, d.name)
		if d.explicit {
			fmt.Fprintf(&sb, "  slug = %q\n", d.slug)
		}
		fmt.Fprintf(&sb, "%s\n}\n", kindSamples[d.kind.Name].create.hcl())
	}
	return sb.String()
}

// ---------------------------------------------------------------------------
// What the server holds.

var suffixedSlug = regexp.MustCompile(`-[0-9a-f]{4}$`)

// duplicationProblems compares what the server holds for the run with what is
// declared: every declared connection exactly once, under its declared slug, and
// nothing else (in particular no slug the server suffixed with -xxxx on a clash).
// When complete is false, declared connections may be missing (not created yet).
func duplicationProblems(held []openhexa.Connection, decls []declaredConnection, complete bool) []string {
	bySlug := map[string]declaredConnection{}
	byName := map[string]int{}
	for _, d := range decls {
		bySlug[d.slug] = d
	}
	var problems []string
	seenSlug := map[string]bool{}
	for _, c := range held {
		byName[c.Name]++
		d, ok := bySlug[c.Slug]
		switch {
		case !ok && suffixedSlug.MatchString(c.Slug):
			problems = append(problems, fmt.Sprintf("duplicate: %q holds slug %q (id %s), the server's clash suffix", c.Name, c.Slug, c.ID))
		case !ok:
			problems = append(problems, fmt.Sprintf("unexpected: %q holds slug %q (id %s), declared by no resource", c.Name, c.Slug, c.ID))
		case d.name != c.Name:
			problems = append(problems, fmt.Sprintf("slug %q holds name %q, want %q", c.Slug, c.Name, d.name))
		}
		seenSlug[c.Slug] = true
	}
	for name, n := range byName {
		if n > 1 {
			problems = append(problems, fmt.Sprintf("name %q is held %d times", name, n))
		}
	}
	if complete {
		for _, d := range decls {
			if !seenSlug[d.slug] {
				problems = append(problems, fmt.Sprintf("missing: %s (%q, slug %q)", d.address(), d.name, d.slug))
			}
		}
	}
	sort.Strings(problems)
	return problems
}

// ---------------------------------------------------------------------------
// Import IDs from the CLI's diagnostics.

// jsonDiagnostic is one error of `apply -json` (OpenTofu's machine-readable UI).
type jsonDiagnostic struct {
	Severity string `json:"severity"`
	Summary  string `json:"summary"`
	Detail   string `json:"detail"`
	Address  string `json:"address"`
}

// importIDsFromDiagnostics reads the output of `apply -json` and returns, per
// resource address, the import ID its error gives.
//
// How: every line is a JSON message; the error diagnostics ("type":"diagnostic",
// severity "error") are kept. In the summary and detail of each, an import ID is any
// `<workspace>/<slug>` where <workspace> is the configured workspace (not preceded by
// a character that could belong to a longer name or a URL path) and <slug> is a run of
// slug characters [-A-Za-z0-9_] that starts with the run prefix (so no other
// connection is ever imported). A diagnostic usually repeats its ID (in a `terraform
// import` line and in an import block), so IDs are de-duplicated. The resource is the
// diagnostic's `address`; when the CLI gave none, the declared resource whose slug the
// ID names. A diagnostic naming several different IDs keeps the one whose slug is the
// resource's declared slug.
//
// It returns the imports and, separately, every error diagnostic it could not turn
// into an import (described without its full text).
func importIDsFromDiagnostics(output, workspace, prefix string, decls []declaredConnection) (map[string]string, []string) {
	idPattern := regexp.MustCompile(`(?:^|[^-A-Za-z0-9_./:])` + regexp.QuoteMeta(workspace) + `/(` + regexp.QuoteMeta(prefix) + `[-A-Za-z0-9_]*)`)
	byAddress := map[string]declaredConnection{}
	bySlug := map[string]declaredConnection{}
	for _, d := range decls {
		byAddress[d.address()] = d
		bySlug[d.slug] = d
	}
	imports := map[string]string{}
	var unusable []string
	scanner := bufio.NewScanner(strings.NewReader(output))
	scanner.Buffer(make([]byte, 1<<20), 16<<20)
	for scanner.Scan() {
		var msg struct {
			Type       string          `json:"type"`
			Diagnostic *jsonDiagnostic `json:"diagnostic"`
		}
		if json.Unmarshal(scanner.Bytes(), &msg) != nil || msg.Type != "diagnostic" || msg.Diagnostic == nil ||
			msg.Diagnostic.Severity != "error" {
			continue
		}
		diag := msg.Diagnostic
		var slugs []string
		seen := map[string]bool{}
		for _, m := range idPattern.FindAllStringSubmatch(diag.Summary+"\n"+diag.Detail, -1) {
			s := strings.TrimRight(m[1], "-_") // a sentence may end right after the ID
			if !seen[s] {
				seen[s] = true
				slugs = append(slugs, s)
			}
		}
		addr := diag.Address
		if addr == "" && len(slugs) == 1 {
			addr = bySlug[slugs[0]].address()
		}
		d, declared := byAddress[addr]
		chosen := ""
		switch {
		case !declared:
		case len(slugs) == 1:
			chosen = slugs[0]
		default:
			for _, s := range slugs {
				if s == d.slug {
					chosen = s
				}
			}
		}
		if chosen == "" {
			unusable = append(unusable, fmt.Sprintf("%s: %q (import IDs found: %v)", orNone(diag.Address), diag.Summary, slugs))
			continue
		}
		imports[addr] = workspace + "/" + chosen
	}
	return imports, unusable
}

// logErrorDiagnostics logs the error diagnostics of `-json` output (provider
// diagnostics never hold a secret value), the detail cut to a few lines.
func logErrorDiagnostics(t *testing.T, output string) {
	t.Helper()
	for _, line := range strings.Split(output, "\n") {
		var msg struct {
			Type       string          `json:"type"`
			Diagnostic *jsonDiagnostic `json:"diagnostic"`
		}
		if json.Unmarshal([]byte(line), &msg) != nil || msg.Diagnostic == nil || msg.Diagnostic.Severity != "error" {
			continue
		}
		detail := msg.Diagnostic.Detail
		if len(detail) > 700 {
			detail = detail[:700] + "…"
		}
		t.Logf("error diagnostic for %s: %s\n%s", orNone(msg.Diagnostic.Address), msg.Diagnostic.Summary, detail)
	}
}

func orNone(s string) string {
	if s == "" {
		return "(no address)"
	}
	return s
}

// importBlocks renders one import block per address.
func importBlocks(imports map[string]string) string {
	addrs := make([]string, 0, len(imports))
	for a := range imports {
		addrs = append(addrs, a)
	}
	sort.Strings(addrs)
	var sb strings.Builder
	for _, a := range addrs {
		fmt.Fprintf(&sb, "import {\n  to = %s\n  id = %q\n}\n\n", a, imports[a])
	}
	return sb.String()
}

// ---------------------------------------------------------------------------
// (a) An interrupted apply never duplicates.

// TestAccIntegrityInterruptedApplyNeverDuplicates applies 24 connections (every
// kind, slugs derived from names, three explicit slugs) through a proxy that answers
// mutations late, kills the CLI's whole process group with SIGKILL early, half-way or
// near the end, and recovers with the same configuration and token: the next apply
// either converges or stops with one error per connection already there, giving its
// import ID; the test imports those (import blocks), applies again, and then the plan
// is empty and the server holds every declared connection exactly once, under its
// declared slug, none suffixed by the server's clash handling.
func TestAccIntegrityInterruptedApplyNeverDuplicates(t *testing.T) {
	cli := requireCLI(t)
	ctx, cancel := context.WithTimeout(context.Background(), 12*time.Minute)
	defer cancel()
	plugins := buildProvider(ctx, t, t.TempDir())

	const total = 24
	cases := []struct {
		name      string
		killAfter func(total int) int // how many connections the server holds when the CLI is killed
	}{
		{"early", func(int) int { return 1 }},
		{"middle", func(n int) int { return n / 2 }},
		{"late", func(n int) int { return n - 3 }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(ctx, 4*time.Minute)
			defer cancel()
			tg := targetFor(t)
			proxy := startLateProxy(t, tg.url)
			decls := integrityConnections(t, tg.prefix, total, 1, 8, 15)
			tf := newTofuCLI(t, cli, plugins)
			writeFile(t, filepath.Join(tf.work, "main.tf"), integrityConfig(proxy.URL(), tg.workspace, decls))

			// 1. The apply that dies: every mutation answered 1–2 s after the server applied it.
			proxy.delay.Store(int64(time.Second))
			threshold := tc.killAfter(total)
			cmd := tf.command(ctx, tg.editor, "apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=4")
			var killedOut bytes.Buffer
			cmd.Stdout, cmd.Stderr = &killedOut, &killedOut
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			started := time.Now()
			for held := 0; held < threshold; held = tg.countHeld(ctx, t) {
				select {
				case err := <-exited:
					t.Fatalf("the apply ended (%v) before the server held %d connections:\n%s", err, threshold, tail(killedOut.String()))
				case <-time.After(50 * time.Millisecond):
				}
				if time.Since(started) > 90*time.Second {
					_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
					t.Fatalf("the server held fewer than %d connections after 90 s", threshold)
				}
			}
			if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); err != nil {
				t.Fatalf("killing the CLI's process group: %v", err)
			}
			if err := <-exited; err == nil {
				t.Fatalf("the apply finished before the kill reached it: the test proves nothing")
			}
			proxy.settle(t) // the creates in flight at the kill complete on the server
			proxy.delay.Store(0)
			// OpenTofu's local state lock is an fcntl lock, released when the process dies;
			// the lock-info file it leaves behind does not block the next run (no -lock=false).
			if _, err := os.Stat(filepath.Join(tf.work, ".terraform.tfstate.lock.info")); err == nil {
				t.Logf("the kill left .terraform.tfstate.lock.info behind")
			}
			atKill := tg.held(ctx, t)
			inState := tf.stateList(ctx, t)
			t.Logf("killed after %s: the server holds %d connections, the state %d", time.Since(started).Round(time.Millisecond), len(atKill), len(inState))
			if problems := duplicationProblems(atKill, decls, false); len(problems) > 0 {
				t.Fatalf("already before recovery:\n  %s", strings.Join(problems, "\n  "))
			}

			// 2. Recovery: the same configuration and token, no latency.
			out, code := tf.run(ctx, tg.editor, "apply", "-auto-approve", "-input=false", "-json", "-parallelism=4")
			afterRecovery := tg.held(ctx, t)
			if problems := duplicationProblems(afterRecovery, decls, false); len(problems) > 0 {
				t.Errorf("the apply after the kill made connections twice (it must stop with an import ID instead):\n  %s",
					strings.Join(problems, "\n  "))
			}
			if code != 0 {
				logErrorDiagnostics(t, out)
				imports, unusable := importIDsFromDiagnostics(out, tg.workspace, tg.prefix, decls)
				if len(unusable) > 0 {
					t.Fatalf("the apply after the kill failed (exit %d) with errors that give no usable import ID:\n  %s",
						code, strings.Join(unusable, "\n  "))
				}
				if len(imports) == 0 {
					t.Fatalf("the apply after the kill failed (exit %d) without error diagnostics:\n%s", code, tail(out))
				}
				t.Logf("the apply after the kill asked to import %d connection(s); importing them with import blocks", len(imports))
				writeFile(t, filepath.Join(tf.work, "imports.tf"), importBlocks(imports))
				if out, code := tf.run(ctx, tg.editor, "apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=4"); code != 0 {
					t.Fatalf("the apply with the import blocks failed (exit %d):\n%s", code, tail(out))
				}
			} else {
				t.Logf("the apply after the kill converged")
			}

			// 3. Converged: empty plan, each declared connection exactly once.
			if out, code := tf.run(ctx, tg.editor, "plan", "-detailed-exitcode", "-input=false", "-no-color"); code != 0 {
				t.Errorf("the plan after recovery is not empty (exit %d):\n%s", code, tail(out))
			}
			final := tg.held(ctx, t)
			if problems := duplicationProblems(final, decls, true); len(problems) > 0 {
				t.Errorf("after recovery the server does not hold each declared connection exactly once:\n  %s",
					strings.Join(problems, "\n  "))
			}
			if ids := tf.stateIDs(ctx, t); len(ids) != total {
				t.Errorf("after recovery the state holds %d connections, want %d", len(ids), total)
			}
		})
	}
}

// ---------------------------------------------------------------------------
// (b) A token that lost access never makes the provider forget.

// TestAccIntegrityLostAccessNeverForgets applies a few connections with the admin
// token, then plans, refreshes, destroys without refresh and applies saved plans (an
// update, a destroy) with the token of a user who cannot see the workspace: each must
// fail naming the workspace and the user, leave the state as it was and every
// connection in OpenHEXA as it was. The admin's plan is then empty. Finally, once the connections were deleted
// out of band, `destroy -refresh=false` succeeds (a delete answered NOT_FOUND is
// success) and the server holds none of them.
func TestAccIntegrityLostAccessNeverForgets(t *testing.T) {
	cli := requireCLI(t)
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	tg := targetFor(t)
	if tg.outsider == "" {
		t.Skip("the real instance has no OPENHEXA_ACC_TOKEN_OUTSIDER (a user who cannot see the workspace)")
	}
	plugins := buildProvider(ctx, t, t.TempDir())
	decls := integrityConnections(t, tg.prefix, 4, 1)
	tf := newTofuCLI(t, cli, plugins)
	writeFile(t, filepath.Join(tf.work, "main.tf"), integrityConfig(tg.url, tg.workspace, decls))

	if out, code := tf.run(ctx, tg.admin, "apply", "-auto-approve", "-input=false", "-no-color"); code != 0 {
		t.Fatalf("apply with the admin token failed (exit %d):\n%s", code, tail(out))
	}
	wantList, wantIDs := tf.stateList(ctx, t), tf.stateIDs(ctx, t)
	if len(wantList) != len(decls) {
		t.Fatalf("the state holds %d resources after apply, want %d", len(wantList), len(decls))
	}
	statePath := filepath.Join(tf.work, "terraform.tfstate")
	saved, readErr := os.ReadFile(statePath)
	if readErr != nil {
		t.Fatal(readErr)
	}

	me, err := tg.client(t, tg.outsider).Me(ctx)
	if err != nil || me.User == nil {
		t.Fatalf("the outsider token is not accepted: %v", err)
	}
	if ws, err := tg.client(t, tg.outsider).Workspace(ctx, tg.workspace); err != nil || ws != nil {
		t.Fatalf("the outsider (%s) can see workspace %q (err %v): the test proves nothing", me.User.Email, tg.workspace, err)
	}

	stateKept := func(step string) {
		t.Helper()
		gotList, gotIDs := tf.stateList(ctx, t), tf.stateIDs(ctx, t)
		if strings.Join(gotList, ",") != strings.Join(wantList, ",") || strings.Join(gotIDs, ",") != strings.Join(wantIDs, ",") {
			t.Errorf("after %s the state holds %d resources %v, want the %d it held before %v",
				step, len(gotList), gotList, len(wantList), wantList)
		}
	}
	mustFailNaming := func(step, out string, code int) {
		t.Helper()
		if code == 0 {
			t.Errorf("%s with the token of %s, who cannot see workspace %q, succeeded; it must fail:\n%s",
				step, me.User.Email, tg.workspace, tail(out))
			return
		}
		if !strings.Contains(out, tg.workspace) {
			t.Errorf("%s failed (exit %d) without naming the workspace %q:\n%s", step, code, tg.workspace, tail(out))
		}
		if !strings.Contains(out, me.User.Email) && !strings.Contains(out, me.User.DisplayName) {
			t.Errorf("%s failed (exit %d) without naming the user the token acts as (%s):\n%s", step, code, me.User.Email, tail(out))
		}
	}

	out, code := tf.run(ctx, tg.outsider, "plan", "-input=false", "-no-color")
	mustFailNaming("plan", out, code)
	stateKept("plan")

	out, code = tf.run(ctx, tg.outsider, "apply", "-refresh-only", "-auto-approve", "-input=false", "-no-color")
	mustFailNaming("apply -refresh-only", out, code)
	stateKept("apply -refresh-only")

	// A destroy without refresh, and saved plans (an update, a destroy) applied once
	// the token has lost sight of the workspace: OpenHEXA answers each delete and
	// update NOT_FOUND, which proves nothing; all must fail and keep state, and
	// OpenHEXA must still hold every connection, unchanged.
	heldBefore := tg.held(ctx, t)
	connectionsKept := func(step string) {
		t.Helper()
		now := tg.held(ctx, t)
		if len(now) != len(heldBefore) {
			t.Errorf("after %s OpenHEXA holds %d connections of the run, want the %d it held", step, len(now), len(heldBefore))
		}
		for _, c := range now {
			if c.DescriptionOrEmpty() != "" {
				t.Errorf("after %s %s has the description %q", step, c.Slug, c.DescriptionOrEmpty())
			}
		}
	}
	out, code = tf.run(ctx, tg.outsider, "destroy", "-refresh=false", "-auto-approve", "-input=false", "-no-color")
	mustFailNaming("destroy -refresh=false", out, code)
	stateKept("destroy -refresh=false")
	connectionsKept("destroy -refresh=false")
	if strings.Contains(out, "destroy -refresh=false") || !strings.Contains(out, "state rm '<address>'") {
		t.Errorf("the destroy's error must offer `state rm`, never `destroy -refresh=false`:\n%s", tail(out))
	}

	mainTF := filepath.Join(tf.work, "main.tf")
	for _, saved := range []struct{ file, flag, config string }{
		{"update.tfplan", "-refresh=true", strings.ReplaceAll(integrityConfig(tg.url, tg.workspace, decls), "\n  name = ", "\n  description = \"moved\"\n  name = ")},
		{"destroy.tfplan", "-destroy", integrityConfig(tg.url, tg.workspace, decls)},
	} {
		// Each plan follows the failed apply before it: a failed apply writes state,
		// which makes earlier saved plans stale.
		writeFile(t, mainTF, saved.config)
		if out, code := tf.run(ctx, tg.admin, "plan", saved.flag, "-out="+saved.file, "-input=false", "-no-color"); code != 0 {
			t.Fatalf("the admin's plan for %s failed (exit %d):\n%s", saved.file, code, tail(out))
		}
		out, code = tf.run(ctx, tg.outsider, "apply", "-input=false", "-no-color", saved.file)
		mustFailNaming("apply "+saved.file, out, code)
		if strings.Contains(out, "Saved plan is stale") {
			t.Errorf("apply %s proves nothing: the plan was stale", saved.file)
		}
		stateKept("apply " + saved.file)
		connectionsKept("apply " + saved.file)
	}
	writeFile(t, mainTF, integrityConfig(tg.url, tg.workspace, decls))

	if out, code := tf.run(ctx, tg.admin, "plan", "-detailed-exitcode", "-input=false", "-no-color"); code != 0 {
		t.Errorf("the admin's plan after the outsider's runs is not empty (exit %d):\n%s", code, tail(out))
	}

	// Deleted out of band: destroy without refresh deletes what is gone already. When
	// an earlier step lost the state (the failure reported above), the state saved
	// after the first apply is put back, so that this step still proves something.
	if got := tf.stateList(ctx, t); strings.Join(got, ",") != strings.Join(wantList, ",") {
		t.Logf("restoring the state saved after the first apply (it holds %d resources now) for the destroy step", len(got))
		if err := os.WriteFile(statePath, saved, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	admin := tg.client(t, tg.admin)
	held := tg.held(ctx, t)
	for _, c := range held {
		if err := admin.DeleteConnection(ctx, c.ID); err != nil {
			t.Fatalf("deleting %s out of band: %v", c.Slug, err)
		}
	}
	if out, code := tf.run(ctx, tg.admin, "destroy", "-refresh=false", "-auto-approve", "-input=false", "-no-color"); code != 0 {
		t.Errorf("destroy -refresh=false after out-of-band deletion failed (exit %d):\n%s", code, tail(out))
	}
	if left := tg.held(ctx, t); len(left) != 0 {
		t.Errorf("after destroy the server still holds %d connection(s) of the run", len(left))
	}
	if left := tf.stateList(ctx, t); len(left) != 0 {
		t.Errorf("after destroy the state still holds %v", left)
	}
}

// TestIntegrityImportIDParsing checks the parser the interrupted-apply test relies on,
// without a CLI: IDs are taken per diagnostic address, de-duplicated, limited to the
// run prefix and the configured workspace, and errors without one are reported.
func TestIntegrityImportIDParsing(t *testing.T) {
	const ws, prefix = "alpha", "tfacc-0a1b2c-"
	decls := integrityConnections(t, prefix, 8, 1)
	diagLine := func(addr, summary, detail string) string {
		b, err := json.Marshal(map[string]any{"@level": "error", "type": "diagnostic",
			"diagnostic": jsonDiagnostic{Severity: "error", Summary: summary, Detail: detail, Address: addr}})
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	explicit, derived, other := decls[1], decls[3], decls[4]
	output := strings.Join([]string{
		`{"@level":"info","@message":"Apply complete","type":"apply_complete"}`,
		// The form today's provider gives for an explicit slug: a moved block and an import block.
		diagLine(explicit.address(), "Connection slug already in use", fmt.Sprintf(
			"The slug %q is already used in workspace %q by the dhis2 connection %q (id 0e7d…).\n\n  moved {\n    from = <the address that manages it now>\n    to   = %s.<name>\n  }\n\n  import {\n    to = %s.<name>\n    id = %q\n  }",
			explicit.slug, ws, explicit.name, explicit.kind.ResourceTypeName(), explicit.kind.ResourceTypeName(), ws+"/"+explicit.slug)),
		// No address: the slug names the resource. A sentence ends right after the ID.
		diagLine("", "Connection already exists", fmt.Sprintf("Import it with the ID %s/%s.", ws, derived.slug)),
		// Another workspace, a URL path and a slug outside the run are never taken.
		diagLine(other.address(), "Connection already exists", fmt.Sprintf(
			"see http://host/%s/%s and beta/%s and %s/someone-else; import it as `%s/%s`", ws, other.slug, other.slug, ws, ws, other.slug)),
		diagLine("", "Cannot create openhexa_s3_connection", "the server answered HTTP 503"),
		diagLine(decls[0].address(), "Warning only", "x"),
	}, "\n")
	output = strings.Replace(output, `"severity":"error","summary":"Warning only"`, `"severity":"warning","summary":"Warning only"`, 1)
	imports, unusable := importIDsFromDiagnostics(output, ws, prefix, decls)
	want := map[string]string{
		explicit.address(): ws + "/" + explicit.slug,
		derived.address():  ws + "/" + derived.slug,
		other.address():    ws + "/" + other.slug,
	}
	if fmt.Sprint(imports) != fmt.Sprint(want) {
		t.Errorf("imports = %v, want %v", imports, want)
	}
	if len(unusable) != 1 || !strings.Contains(unusable[0], "HTTP 503") && !strings.Contains(unusable[0], "Cannot create") {
		t.Errorf("unusable = %v, want the one error without an import ID", unusable)
	}
	if got := importBlocks(map[string]string{explicit.address(): ws + "/" + explicit.slug}); !strings.Contains(got,
		fmt.Sprintf("to = %s\n  id = %q", explicit.address(), ws+"/"+explicit.slug)) {
		t.Errorf("import block:\n%s", got)
	}

	held := []openhexa.Connection{
		{ID: "1", Name: derived.name, Slug: derived.slug},
		{ID: "2", Name: derived.name, Slug: derived.slug + "-3f9a"},
		{ID: "3", Name: explicit.name, Slug: explicit.slug},
	}
	problems := duplicationProblems(held, decls, true)
	joined := strings.Join(problems, "\n")
	for _, want := range []string{"duplicate: " + fmt.Sprintf("%q", derived.name), fmt.Sprintf("name %q is held 2 times", derived.name),
		"missing: " + decls[0].address()} {
		if !strings.Contains(joined, want) {
			t.Errorf("problems lack %q:\n%s", want, joined)
		}
	}
	if p := duplicationProblems(held[:1], decls, false); len(p) != 0 {
		t.Errorf("an incomplete but clean set reports %v", p)
	}
}
