package connection_test

// Replacements, moves, slug changes and recovery driven through the CLI (OpenTofu, or
// Terraform 1.5.7 as the second leg), with the harness of integrity_cli_test.go: no
// order of operations may lose a connection, and every refusal comes at plan or names
// its way out. Each test asserts what the server holds after every step, not only
// exit codes. They run on the test server, or on a real OpenHEXA (targetFor), except
// the one that needs the test server's fault hooks.

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/blsq/terraform-provider-openhexa/internal/acctest"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
	"github.com/hashicorp/go-version"
)

// placement is how a test places its one resource: in a workspace other than the
// provider's default (""), with create_before_destroy, with the kind's update sample
// instead of its create sample.
type placement struct {
	workspace           string
	createBeforeDestroy bool
	updated             bool
}

// placedConfig is integrityConfig for one resource, placed as p says.
func placedConfig(url, workspace string, d declaredConnection, p placement) string {
	config := integrityConfig(url, workspace, []declaredConnection{d})
	if p.updated {
		samples := kindSamples[d.kind.Name]
		config = strings.Replace(config, samples.create.hcl(), samples.update.hcl(), 1)
	}
	var extra strings.Builder
	if p.workspace != "" {
		fmt.Fprintf(&extra, "  workspace = %q\n", p.workspace)
	}
	if p.createBeforeDestroy {
		extra.WriteString("  lifecycle {\n    create_before_destroy = true\n  }\n")
	}
	return strings.TrimSuffix(config, "}\n") + extra.String() + "}\n"
}

// jsonDiagnostics returns the diagnostics of `-json` output.
func jsonDiagnostics(output string) []jsonDiagnostic {
	var out []jsonDiagnostic
	scanner := bufio.NewScanner(strings.NewReader(output))
	scanner.Buffer(make([]byte, 1<<20), 16<<20)
	for scanner.Scan() {
		var msg struct {
			Type       string          `json:"type"`
			Diagnostic *jsonDiagnostic `json:"diagnostic"`
		}
		if json.Unmarshal(scanner.Bytes(), &msg) == nil && msg.Diagnostic != nil {
			out = append(out, *msg.Diagnostic)
		}
	}
	return out
}

// wantDiagnostic returns the diagnostic of this severity and summary in `-json`
// output, failing the test when there is none.
func wantDiagnostic(t *testing.T, step, output, severity, summary string) jsonDiagnostic {
	t.Helper()
	for _, d := range jsonDiagnostics(output) {
		if d.Severity == severity && d.Summary == summary {
			return d
		}
	}
	logErrorDiagnostics(t, output)
	t.Fatalf("%s: no %s %q in the output:\n%s", step, severity, summary, tail(output))
	return jsonDiagnostic{}
}

// mustContainAll fails the test for each text the diagnostic's detail lacks.
func mustContainAll(t *testing.T, step string, d jsonDiagnostic, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if !strings.Contains(d.Detail, s) {
			t.Errorf("%s: %q lacks %q:\n%s", step, d.Summary, s, d.Detail)
		}
	}
}

// holdsOnly fails the test unless the workspace holds, among the run's connections,
// exactly one under slug, with this id.
func (tg *target) holdsOnly(t *testing.T, step, workspace, slug, id string) {
	t.Helper()
	got, ok := tg.storedIn(t, workspace, slug)
	switch {
	case !ok:
		t.Fatalf("%s: %s holds no connection %q; it must hold %s", step, workspace, slug, id)
	case got.ID != id:
		t.Fatalf("%s: %s holds %s under %q, want %s", step, workspace, got.ID, slug, id)
	}
}

// stateHolds fails the test unless the state holds exactly these connection ids.
func (tf *tofuCLI) stateHolds(ctx context.Context, t *testing.T, step string, ids ...string) {
	t.Helper()
	got := tf.stateIDs(ctx, t)
	want := append([]string(nil), ids...)
	sort.Strings(want)
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("%s: the state holds %v, want %v", step, got, ids)
	}
}

// wantOwnOldObjectAdvice checks the slug-taken error of a resource whose holder is
// its own old object: it says what to do (another slug, or no create_before_destroy
// and -replace, after untaint for a tainted one; state rm and import to keep a
// deposed one), that adopt_identical is no way out, and offers adopt_identical only
// for a connection that is no object of the resource.
func wantOwnOldObjectAdvice(t *testing.T, step string, d jsonDiagnostic, id string) {
	t.Helper()
	mustContainAll(t, step, d, id, "create_before_destroy", "another slug", "-replace=<address>", "untaint <address>",
		"state rm <address>", "`adopt_identical` is no way out")
	if offer := strings.Index(d.Detail, "adopt_identical = true"); offer >= 0 &&
		!strings.Contains(d.Detail[max(0, offer-200):offer], "no object of this resource") {
		t.Errorf("%s: the error offers adopt_identical for the resource's own connection:\n%s", step, d.Detail)
	}
}

// TestAccReplaceCreateBeforeDestroyKeepsTheConnection (issue case 1): a resource
// with a fixed slug and create_before_destroy, replaced (-replace) or tainted. The
// new object cannot take the slug while the old one holds it: without
// adopt_identical the apply (-replace) or the plan (tainted) fails, saying what to do
// and not offering adopt_identical; the failed replacement leaves the old object
// deposed (both CLIs do), and `state rm` with an import block gets it back. With
// adopt_identical, the create adopts the old connection and the delete of the old
// object leaves it in OpenHEXA and in state, with a warning. OpenHEXA holds the
// connection, under its id, after every step.
func TestAccReplaceCreateBeforeDestroyKeepsTheConnection(t *testing.T) {
	cli := requireCLI(t)
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	tg := targetFor(t)
	plugins := buildProvider(ctx, t, t.TempDir())
	d := integrityConnections(t, tg.prefix, 1, 0)[0]
	tf := newTofuCLI(t, cli, plugins)
	writeFile(t, filepath.Join(tf.work, "main.tf"), placedConfig(tg.url, tg.workspace, d, placement{createBeforeDestroy: true}))

	if out, code := tf.run(ctx, tg.editor, "apply", "-auto-approve", "-input=false", "-no-color"); code != 0 {
		t.Fatalf("apply failed (exit %d):\n%s", code, tail(out))
	}
	held, ok := tg.storedBySlug(t, d.slug)
	if !ok {
		t.Fatalf("the apply made no connection %q", d.slug)
	}
	id := held.ID
	tf.stateHolds(ctx, t, "apply", id)

	// -replace, adopt_identical off: the create fails before anything is deleted.
	out, code := tf.run(ctx, tg.editor, "apply", "-replace="+d.address(), "-auto-approve", "-input=false", "-json")
	if code == 0 {
		t.Fatalf("apply -replace succeeded; the new object cannot take the slug first:\n%s", tail(out))
	}
	wantOwnOldObjectAdvice(t, "apply -replace", wantDiagnostic(t, "apply -replace", out, "error", "Connection slug already in use"), id)
	tg.holdsOnly(t, "apply -replace", tg.workspace, d.slug, id)
	tf.stateHolds(ctx, t, "apply -replace", id) // deposed

	// The way out the error names to keep the old object: forget it, import it again.
	if out, code := tf.run(ctx, "unused", "state", "rm", d.address()); code != 0 {
		t.Fatalf("state rm failed (exit %d):\n%s", code, tail(out))
	}
	importTF := filepath.Join(tf.work, "import.tf")
	writeFile(t, importTF, importBlocks(map[string]string{d.address(): tg.workspace + "/" + d.slug}))
	if out, code := tf.run(ctx, tg.editor, "apply", "-auto-approve", "-input=false", "-no-color"); code != 0 {
		t.Fatalf("the apply importing the old object failed (exit %d):\n%s", code, tail(out))
	}
	if err := os.Remove(importTF); err != nil {
		t.Fatal(err)
	}
	tg.holdsOnly(t, "state rm and import", tg.workspace, d.slug, id)
	tf.stateHolds(ctx, t, "state rm and import", id)

	// -replace, adopt_identical on: the create adopts the old connection, whose
	// delete then only leaves state (the new object holds it).
	tf.env = []string{"OPENHEXA_ADOPT_IDENTICAL=true"}
	out, code = tf.run(ctx, tg.editor, "apply", "-replace="+d.address(), "-auto-approve", "-input=false", "-json")
	if code != 0 {
		logErrorDiagnostics(t, out)
		t.Fatalf("apply -replace with adopt_identical failed (exit %d)", code)
	}
	tg.holdsOnly(t, "apply -replace with adopt_identical", tg.workspace, d.slug, id)
	tf.stateHolds(ctx, t, "apply -replace with adopt_identical", id)
	mustContainAll(t, "apply -replace with adopt_identical",
		wantDiagnostic(t, "apply -replace with adopt_identical", out, "warning", "Connection kept"), id, d.slug)
	tf.env = nil

	// Tainted: the plan fails the same way.
	if out, code := tf.run(ctx, "unused", "taint", d.address()); code != 0 {
		t.Fatalf("taint failed (exit %d):\n%s", code, tail(out))
	}
	out, code = tf.run(ctx, tg.editor, "plan", "-input=false", "-json")
	if code == 0 {
		t.Fatalf("the plan of the tainted resource passed:\n%s", tail(out))
	}
	diag := wantDiagnostic(t, "plan of the tainted resource", out, "error", "Connection slug already in use")
	wantOwnOldObjectAdvice(t, "plan of the tainted resource", diag, id)
	mustContainAll(t, "plan of the tainted resource", diag, "tainted", "destroy -refresh=false")
	tg.holdsOnly(t, "plan of the tainted resource", tg.workspace, d.slug, id)

	// Tainted, adopt_identical on: adopted, and its delete as the tainted object
	// only leaves state.
	tf.env = []string{"OPENHEXA_ADOPT_IDENTICAL=true"}
	out, code = tf.run(ctx, tg.editor, "apply", "-auto-approve", "-input=false", "-json")
	if code != 0 {
		logErrorDiagnostics(t, out)
		t.Fatalf("the apply of the tainted resource with adopt_identical failed (exit %d)", code)
	}
	tg.holdsOnly(t, "apply of the tainted resource with adopt_identical", tg.workspace, d.slug, id)
	tf.stateHolds(ctx, t, "apply of the tainted resource with adopt_identical", id)
	wantDiagnostic(t, "apply of the tainted resource with adopt_identical", out, "warning", "Connection kept")
	tf.env = nil

	if out, code := tf.run(ctx, tg.editor, "plan", "-detailed-exitcode", "-input=false", "-no-color"); code != 0 {
		t.Errorf("the plan at the end is not empty (exit %d):\n%s", code, tail(out))
	}
	tg.holdsOnly(t, "the end", tg.workspace, d.slug, id)
}

// TestAccMoveNeverDeletesBeforeTheTargetAccepts (issue case 2): a saved plan moves a
// connection to another workspace (a replacement: delete, then create), and someone
// makes a connection with the same slug there before it is applied. The apply refuses
// before deleting, naming the holder: the connection stays where it was, in state.
// With create_before_destroy the create comes first and fails alone. Once the slug is
// free, the move goes through.
func TestAccMoveNeverDeletesBeforeTheTargetAccepts(t *testing.T) {
	cli := requireCLI(t)
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	plugins := buildProvider(ctx, t, t.TempDir())
	for _, cbd := range []bool{false, true} {
		t.Run(fmt.Sprintf("create_before_destroy %v", cbd), func(t *testing.T) {
			tg := targetFor(t)
			if tg.other == "" {
				t.Skip("the real instance has no OPENHEXA_ACC_WORKSPACE_OTHER (a second workspace the admin manages)")
			}
			d := integrityConnections(t, tg.prefix, 1, 0)[0]
			tf := newTofuCLI(t, cli, plugins)
			mainTF := filepath.Join(tf.work, "main.tf")
			writeFile(t, mainTF, placedConfig(tg.url, tg.workspace, d, placement{createBeforeDestroy: cbd}))
			if out, code := tf.run(ctx, tg.admin, "apply", "-auto-approve", "-input=false", "-no-color"); code != 0 {
				t.Fatalf("apply failed (exit %d):\n%s", code, tail(out))
			}
			held, ok := tg.storedBySlug(t, d.slug)
			if !ok {
				t.Fatalf("the apply made no connection %q", d.slug)
			}
			id := held.ID

			writeFile(t, mainTF, placedConfig(tg.url, tg.workspace, d, placement{workspace: tg.other, createBeforeDestroy: cbd}))
			if out, code := tf.run(ctx, tg.admin, "plan", "-out=move.tfplan", "-input=false", "-no-color"); code != 0 {
				t.Fatalf("the plan of the move failed (exit %d):\n%s", code, tail(out))
			}
			tg.holdsOnly(t, "plan of the move", tg.workspace, d.slug, id)
			theirs := storedFor(d)
			theirs.Name = tg.name("Made in the web app meanwhile")
			theirs = tg.createIn(t, tg.other, theirs)

			out, code := tf.run(ctx, tg.admin, "apply", "-input=false", "-json", "move.tfplan")
			if code == 0 {
				t.Fatalf("the saved move was applied though %s/%s is taken:\n%s", tg.other, d.slug, tail(out))
			}
			logErrorDiagnostics(t, out)
			tg.holdsOnly(t, "apply of the saved move", tg.workspace, d.slug, id)
			tg.holdsOnly(t, "apply of the saved move", tg.other, d.slug, theirs.ID)
			tf.stateHolds(ctx, t, "apply of the saved move", id)
			if !strings.Contains(out, theirs.ID) {
				t.Errorf("the refusal does not name the holder %s:\n%s", theirs.ID, tail(out))
			}

			tg.removeIn(t, tg.other, d.slug)
			if out, code := tf.run(ctx, tg.admin, "apply", "-auto-approve", "-input=false", "-no-color"); code != 0 {
				t.Fatalf("the move once the slug is free failed (exit %d):\n%s", code, tail(out))
			}
			if _, ok := tg.storedBySlug(t, d.slug); ok {
				t.Errorf("after the move %s still holds %q", tg.workspace, d.slug)
			}
			moved, ok := tg.storedIn(t, tg.other, d.slug)
			if !ok {
				t.Fatalf("after the move %s holds no %q", tg.other, d.slug)
			}
			tf.stateHolds(ctx, t, "the move", moved.ID)
		})
	}
}

// TestAccUpdateToTakenSlugSavesNothing (issue case 3): when a slug is taken only
// after a saved plan of an update to it, the apply's refusal saves none of the other
// changes; an update to a slug OpenHEXA holds fails at plan, naming the holder.
func TestAccUpdateToTakenSlugSavesNothing(t *testing.T) {
	cli := requireCLI(t)
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	tg := targetFor(t)
	plugins := buildProvider(ctx, t, t.TempDir())
	d := integrityConnections(t, tg.prefix, 1, 0)[0]
	tf := newTofuCLI(t, cli, plugins)
	mainTF := filepath.Join(tf.work, "main.tf")
	writeFile(t, mainTF, placedConfig(tg.url, tg.workspace, d, placement{}))
	if out, code := tf.run(ctx, tg.editor, "apply", "-auto-approve", "-input=false", "-no-color"); code != 0 {
		t.Fatalf("apply failed (exit %d):\n%s", code, tail(out))
	}
	before, ok := tg.storedBySlug(t, d.slug)
	if !ok {
		t.Fatalf("the apply made no connection %q", d.slug)
	}
	unchanged := func(step string) {
		t.Helper()
		now, ok := tg.storedBySlug(t, d.slug)
		if !ok || now.ID != before.ID || now.Name != before.Name || fmt.Sprint(now.Fields) != fmt.Sprint(before.Fields) {
			t.Fatalf("%s: OpenHEXA changed the connection: %+v, was %+v", step, now, before)
		}
		tf.stateHolds(ctx, t, step, before.ID)
	}

	// A saved plan to a free slug, with other values, taken before the apply:
	// refused, nothing saved.
	renamed := d
	renamed.name = tg.name("Renamed")
	renamed.slug = tg.slug("later")
	writeFile(t, mainTF, placedConfig(tg.url, tg.workspace, renamed, placement{updated: true}))
	if out, code := tf.run(ctx, tg.editor, "plan", "-out=update.tfplan", "-input=false", "-no-color"); code != 0 {
		t.Fatalf("the plan to a free slug failed (exit %d):\n%s", code, tail(out))
	}
	tg.create(t, func() openhexatest.StoredConnection {
		c := storedFor(d)
		c.Name, c.Slug = tg.name("Later holder"), renamed.slug
		return c
	}())
	out, code := tf.run(ctx, tg.editor, "apply", "-input=false", "-json", "update.tfplan")
	if code == 0 {
		t.Fatalf("the saved update to a slug taken since was applied:\n%s", tail(out))
	}
	wantDiagnostic(t, "apply of the saved update", out, "error", "Connection slug already in use")
	unchanged("apply of the saved update")

	// Renamed, with another slug that OpenHEXA holds already: the plan fails.
	taken := tg.create(t, func() openhexatest.StoredConnection {
		c := storedFor(d)
		c.Name, c.Slug = tg.name("Holder"), tg.slug("taken")
		return c
	}())
	renamed.slug = taken.Slug
	writeFile(t, mainTF, placedConfig(tg.url, tg.workspace, renamed, placement{updated: true}))
	out, code = tf.run(ctx, tg.editor, "plan", "-input=false", "-json")
	if code == 0 {
		t.Fatalf("the plan of an update to a taken slug passed:\n%s", tail(out))
	}
	diag := wantDiagnostic(t, "plan", out, "error", "Connection slug already in use")
	mustContainAll(t, "plan", diag, taken.ID, fmt.Sprintf("%q", taken.Slug), fmt.Sprintf("%q", d.slug))
	unchanged("plan")
}

// TestAccDestroyAfterStateRmNamesTheWayOut (issue case 4): after `state rm` of one
// resource whose connection stays in OpenHEXA, `destroy` refuses (the CLI plans the
// configuration first, and that resource's create would take a held slug); the
// error says that `destroy -refresh=false` is safe, and it is: it deletes what state
// holds and nothing else.
func TestAccDestroyAfterStateRmNamesTheWayOut(t *testing.T) {
	cli := requireCLI(t)
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	tg := targetFor(t)
	plugins := buildProvider(ctx, t, t.TempDir())
	decls := integrityConnections(t, tg.prefix, 2, 0)
	tf := newTofuCLI(t, cli, plugins)
	writeFile(t, filepath.Join(tf.work, "main.tf"), integrityConfig(tg.url, tg.workspace, decls))
	if out, code := tf.run(ctx, tg.editor, "apply", "-auto-approve", "-input=false", "-no-color"); code != 0 {
		t.Fatalf("apply failed (exit %d):\n%s", code, tail(out))
	}
	kept, forgotten := decls[0], decls[1]
	keptHeld, ok1 := tg.storedBySlug(t, kept.slug)
	forgottenHeld, ok2 := tg.storedBySlug(t, forgotten.slug)
	if !ok1 || !ok2 {
		t.Fatal("the apply did not make both connections")
	}
	if out, code := tf.run(ctx, "unused", "state", "rm", forgotten.address()); code != 0 {
		t.Fatalf("state rm failed (exit %d):\n%s", code, tail(out))
	}

	out, code := tf.run(ctx, tg.editor, "destroy", "-auto-approve", "-input=false", "-json")
	if code == 0 {
		t.Fatalf("destroy passed; the plan it makes first has a create whose slug is held:\n%s", tail(out))
	}
	diag := wantDiagnostic(t, "destroy", out, "error", "Connection slug already in use")
	mustContainAll(t, "destroy", diag, forgottenHeld.ID, "destroy -refresh=false")
	tg.holdsOnly(t, "destroy", tg.workspace, kept.slug, keptHeld.ID)
	tg.holdsOnly(t, "destroy", tg.workspace, forgotten.slug, forgottenHeld.ID)
	tf.stateHolds(ctx, t, "destroy", keptHeld.ID)

	if out, code := tf.run(ctx, tg.editor, "destroy", "-refresh=false", "-auto-approve", "-input=false", "-no-color"); code != 0 {
		t.Fatalf("destroy -refresh=false failed (exit %d):\n%s", code, tail(out))
	}
	if _, ok := tg.storedBySlug(t, kept.slug); ok {
		t.Errorf("destroy -refresh=false left %q in OpenHEXA", kept.slug)
	}
	tg.holdsOnly(t, "destroy -refresh=false", tg.workspace, forgotten.slug, forgottenHeld.ID)
	if left := tf.stateList(ctx, t); len(left) != 0 {
		t.Errorf("after destroy the state holds %v", left)
	}
}

// TestAccLostCreateAnswerNeverAdoptsAnother (issue case 5): another client makes a
// connection with the same slug and the same content while this create is in flight,
// and the create's answer is lost; OpenHEXA stored this attempt under a suffixed
// slug. The apply does not take theirs for its own: it deletes its copy and fails
// naming theirs; OpenHEXA holds theirs alone, and state holds nothing.
func TestAccLostCreateAnswerNeverAdoptsAnother(t *testing.T) {
	needsTestServer(t, "the create's answer is lost through the test server's fault hooks")
	cli := requireCLI(t)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	tg := targetFor(t)
	plugins := buildProvider(ctx, t, t.TempDir())
	d := integrityConnections(t, tg.prefix, 1, 0)[0]
	tf := newTofuCLI(t, cli, plugins)
	writeFile(t, filepath.Join(tf.work, "main.tf"), integrityConfig(tg.url, tg.workspace, []declaredConnection{d}))

	var theirs openhexatest.StoredConnection
	lost := openhexatest.Fault{Kind: openhexatest.FaultDropAfterApply, Before: func() {
		theirs = tg.srv.CreateStored(storedFor(d)) // the same content, by another client
	}}
	tg.srv.InjectFault("CreateConnection", lost)
	out, code := tf.run(ctx, tg.editor, "apply", "-auto-approve", "-input=false", "-json")
	mustHaveFired(t, tg.srv, "CreateConnection", lost)
	if code == 0 {
		t.Fatalf("the apply took the connection another client made for its own:\n%s", tail(out))
	}
	diag := wantDiagnostic(t, "apply", out, "error", "Connection slug already in use")
	mustContainAll(t, "apply", diag, theirs.ID, "the provider deleted it")
	all := tg.stored(t)
	if len(all) != 1 || all[0].ID != theirs.ID {
		t.Errorf("OpenHEXA holds %+v, want theirs alone (%s)", all, theirs.ID)
	}
	if ids := tf.stateIDs(ctx, t); len(ids) != 0 {
		t.Errorf("the state holds %v", ids)
	}
}

// TestAccOpenHEXASavesFieldsBeforeCheckingTheSlug pins the server behaviour behind
// the slug-first update (slug_change.go), on the test server and the real one alike:
// an update to a taken slug that sends fields saves them and then refuses
// (INVALID_SLUG); one without fields refuses and changes nothing, not even the name
// it sends.
func TestAccOpenHEXASavesFieldsBeforeCheckingTheSlug(t *testing.T) {
	tg := targetFor(t)
	ctx, cancel := apiContext()
	defer cancel()
	admin := tg.client(t, tg.admin)
	kind := postgres
	mine := storedFromSample(kind, tg.slug("mine"), kindSamples[kind.Name].create)
	mine.Name = tg.name("Mine")
	mine = tg.create(t, mine)
	taken := storedFromSample(kind, tg.slug("taken"), kindSamples[kind.Name].create)
	taken.Name = tg.name("Taken")
	taken = tg.create(t, taken)

	name, description, slug := tg.name("Renamed"), "", taken.Slug
	host := "changed.example.org"
	_, err := admin.UpdateConnection(ctx, openhexa.UpdateConnectionInput{ID: mine.ID, Name: &name, Description: &description,
		Slug: &slug, Fields: []openhexa.FieldInput{{Code: "host", Value: &host}}, ReplaceFields: true})
	if !openhexa.IsKind(err, openhexa.KindInvalid) {
		t.Fatalf("an update with fields to a taken slug: %v, want INVALID_SLUG", err)
	}
	after, _ := tg.storedBySlug(t, mine.Slug)
	if after.Name != mine.Name || len(after.Fields) != 1 || after.Fields[0].Code != "host" || after.Fields[0].Value != host {
		t.Errorf("after the refused update with fields OpenHEXA holds %+v: want the fields saved (all but host gone), the name kept", after)
	}

	before := after
	_, err = admin.UpdateConnection(ctx, openhexa.UpdateConnectionInput{ID: mine.ID, Name: &name, Description: &description, Slug: &slug})
	if !openhexa.IsKind(err, openhexa.KindInvalid) {
		t.Fatalf("an update without fields to a taken slug: %v, want INVALID_SLUG", err)
	}
	if now, _ := tg.storedBySlug(t, mine.Slug); now.Name != before.Name || fmt.Sprint(now.Fields) != fmt.Sprint(before.Fields) {
		t.Errorf("the refused update without fields changed OpenHEXA: %+v, was %+v", now, before)
	}
}

// TestAccForcedReplaceWithoutWriteOnlyKeepsTheConnection: `-replace` of a connection
// whose versioned write-only secret the configuration leaves null (a CI run without
// the secret) deletes before it creates, and the create cannot send the value: the
// plan and the apply fail at plan, on the attribute, and OpenHEXA and state keep the
// connection. Given the value, the replacement goes through.
func TestAccForcedReplaceWithoutWriteOnlyKeepsTheConnection(t *testing.T) {
	cli := requireCLI(t)
	if v := acctest.CLIVersion(); v == nil || v.LessThan(version.Must(version.NewVersion("1.11.0"))) {
		t.Skip("write-only attributes need Terraform or OpenTofu 1.11")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	tg := targetFor(t)
	plugins := buildProvider(ctx, t, t.TempDir())
	kind := postgres
	name, slug := tg.name("Forced"), tg.slug("forced")
	address := kind.ResourceTypeName() + ".test"
	tf := newTofuCLI(t, cli, plugins)
	writeFile(t, filepath.Join(tf.work, "main.tf"), "terraform {\n  required_providers {\n    openhexa = { source = \"blsq/openhexa\" }\n  }\n}\n"+
		nullableSecretConfig(tg, tg.admin, kind, name, slug, kindSamples[kind.Name].create, 1))
	withSecret := []string{"TF_VAR_secret=forced-secret-1"}

	tf.env = withSecret
	if out, code := tf.run(ctx, tg.admin, "apply", "-auto-approve", "-input=false", "-no-color"); code != 0 {
		t.Fatalf("apply failed (exit %d):\n%s", code, tail(out))
	}
	held, ok := tg.storedBySlug(t, slug)
	if !ok {
		t.Fatalf("the apply made no connection %q", slug)
	}
	tf.env = nil
	for _, command := range []string{"plan", "apply"} {
		args := []string{command, "-replace=" + address, "-input=false", "-json"}
		if command == "apply" {
			args = append(args, "-auto-approve")
		}
		out, code := tf.run(ctx, tg.admin, args...)
		if code == 0 {
			t.Fatalf("%s -replace without the secret succeeded:\n%s", command, tail(out))
		}
		d := wantDiagnostic(t, command+" -replace", out, "error", "Write-only secret missing")
		mustContainAll(t, command+" -replace", d, "replaces the connection", "password_wo")
		tg.holdsOnly(t, command+" -replace", tg.workspace, slug, held.ID)
		tf.stateHolds(ctx, t, command+" -replace", held.ID)
	}

	tf.env = withSecret
	if out, code := tf.run(ctx, tg.admin, "apply", "-replace="+address, "-auto-approve", "-input=false", "-no-color"); code != 0 {
		t.Fatalf("apply -replace with the secret failed (exit %d):\n%s", code, tail(out))
	}
	replaced, ok := tg.storedBySlug(t, slug)
	if !ok || replaced.ID == held.ID {
		t.Fatalf("after apply -replace, %q is held by %+v; want a new connection", slug, replaced)
	}
	tf.stateHolds(ctx, t, "apply -replace", replaced.ID)
}
