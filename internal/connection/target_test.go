package connection_test

// The target of an acceptance test: the in-process test server, or a real OpenHEXA
// named by the environment (make testacc-openhexa). Every acceptance test takes its
// server from targetFor and asks the target, never the test server directly, what
// the server holds and to change it out of band; one code path for both.
//
// A real instance is chosen when OPENHEXA_ACC_URL is set; then OPENHEXA_ACC_WORKSPACE
// (a workspace the tokens belong to) and OPENHEXA_ACC_TOKEN_ADMIN, _EDITOR and _VIEWER
// (members with those roles) must be set too; OPENHEXA_ACC_TOKEN_OUTSIDER (a user who
// cannot see the workspace), OPENHEXA_ACC_WORKSPACE_OTHER (a second workspace where the
// admin is ADMIN, for moves) and OPENHEXA_ACC_POSTGRES_URL (a PostgreSQL the server
// can reach, for verify) are optional. scripts/real-openhexa-env.sh prints them for
// the local real instance.
//
// Every name and slug a test makes starts with the target's run prefix
// `tfacc-<random>-`; on a real instance the target only ever looks at, changes and
// deletes connections whose slug carries its prefix, and deletes them all when the
// test ends, pass or fail (TestAccSweepRealInstance removes what a killed run left).

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
)

// sweepPrefix starts every run prefix; the sweeper deletes only slugs that start with it.
const sweepPrefix = "tfacc-"

// target is the server one test talks to.
type target struct {
	url       string
	workspace string
	admin     string // tokens
	editor    string
	viewer    string
	outsider  string               // a user who cannot see workspace; "" when unknown (real instance without it)
	other     string               // a second workspace the admin manages; "" when unknown (real instance without it)
	srv       *openhexatest.Server // nil on a real instance
	prefix    string               // "tfacc-<random>-": every name and slug the test makes starts with it
}

// realInstance reports whether the environment names a real OpenHEXA.
func realInstance() bool { return os.Getenv("OPENHEXA_ACC_URL") != "" }

// needsTestServer skips the test on a real instance: it needs what only the test
// server has (fault injection, the request log, latency, seeded users or workspaces).
// Called first, before any server starts; such a test starts its own test server
// (with the options it needs) instead of taking a target.
func needsTestServer(t *testing.T, reason string) {
	t.Helper()
	if realInstance() {
		t.Skipf("needs the in-process test server: %s", reason)
	}
}

// targetFor returns the target of one test (or sub-test): a real instance when
// OPENHEXA_ACC_URL is set, else a fresh test server. It registers the clean-up of
// everything the run prefix names.
func targetFor(t *testing.T) *target {
	t.Helper()
	tg := &target{prefix: sweepPrefix + randomHex(t, 3) + "-"}
	if realInstance() {
		acc, missing := realInstanceSettings()
		if len(missing) > 0 {
			t.Fatalf("OPENHEXA_ACC_URL names a real instance but %s unset", strings.Join(missing, ", "))
		}
		tg.url, tg.workspace = acc["OPENHEXA_ACC_URL"], acc["OPENHEXA_ACC_WORKSPACE"]
		tg.admin, tg.editor, tg.viewer = acc["OPENHEXA_ACC_TOKEN_ADMIN"], acc["OPENHEXA_ACC_TOKEN_EDITOR"], acc["OPENHEXA_ACC_TOKEN_VIEWER"]
		tg.outsider = os.Getenv("OPENHEXA_ACC_TOKEN_OUTSIDER")
		tg.other = os.Getenv("OPENHEXA_ACC_WORKSPACE_OTHER")
		t.Logf("target: real OpenHEXA at %s, workspace %q, run prefix %q", tg.url, tg.workspace, tg.prefix)
	} else {
		srv := openhexatest.Start(t)
		tg.srv = srv
		tg.url = srv.URL()
		tg.workspace = openhexatest.WorkspaceMain
		tg.admin, tg.editor, tg.viewer = openhexatest.TokenAdmin, openhexatest.TokenEditor, openhexatest.TokenViewer
		tg.outsider = openhexatest.TokenOutsider // ADMIN of another workspace only, as the real instance's outsider
		tg.other = openhexatest.WorkspaceOther   // the admin is ADMIN there too
	}
	// Registered after openhexatest.Start, so it runs before the server closes.
	t.Cleanup(func() {
		tg.deleteRunConnections(t, tg.workspace)
		if tg.other != "" {
			tg.deleteRunConnections(t, tg.other)
		}
	})
	return tg
}

// realInstanceSettings reads the required OPENHEXA_ACC_* variables and lists those unset.
func realInstanceSettings() (map[string]string, []string) {
	acc := map[string]string{}
	var missing []string
	for _, name := range []string{"OPENHEXA_ACC_URL", "OPENHEXA_ACC_WORKSPACE", "OPENHEXA_ACC_TOKEN_ADMIN",
		"OPENHEXA_ACC_TOKEN_EDITOR", "OPENHEXA_ACC_TOKEN_VIEWER"} {
		acc[name] = os.Getenv(name)
		if acc[name] == "" {
			missing = append(missing, name)
		}
	}
	sort.Strings(missing)
	return acc, missing
}

func randomHex(t *testing.T, n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

func (tg *target) real() bool { return tg.srv == nil }

// name and slug put the run prefix in front of a name or slug.
func (tg *target) name(s string) string { return tg.prefix + s }
func (tg *target) slug(s string) string { return tg.prefix + s }

// providerConfig is a provider block for the target with the token and the target's
// workspace as default.
func (tg *target) providerConfig(token string) string {
	return fmt.Sprintf(`
provider "openhexa" {
  url       = %q
  token     = %q
  workspace = %q
}
`, tg.url, token, tg.workspace)
}

// client returns an API client acting with token.
func (tg *target) client(t *testing.T, token string) *openhexa.Client {
	t.Helper()
	c, err := openhexa.NewClient(openhexa.Config{URL: tg.url, Token: token, UserAgent: "terraform-provider-openhexa-acctest", MaxRetries: 5})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func apiContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 2*time.Minute)
}

// stored is what the server holds for the run, as the test server stores it: every
// connection of the test server (the whole server belongs to the test), or, on a real
// instance, the connections of the workspace whose slug carries the run prefix, read
// through the API with the admin token (secrets in clear: an ADMIN reads them).
func (tg *target) stored(t *testing.T) []openhexatest.StoredConnection {
	t.Helper()
	if !tg.real() {
		return tg.srv.AllConnections()
	}
	ctx, cancel := apiContext()
	defer cancel()
	var out []openhexatest.StoredConnection
	for _, c := range tg.held(ctx, t) {
		out = append(out, storedView(tg.workspace, c))
	}
	return out
}

// storedBySlug is the connection the target's workspace holds under slug.
func (tg *target) storedBySlug(t *testing.T, slug string) (openhexatest.StoredConnection, bool) {
	t.Helper()
	return tg.storedIn(t, tg.workspace, slug)
}

// storedIn is the connection a workspace of the target holds under slug.
func (tg *target) storedIn(t *testing.T, workspace, slug string) (openhexatest.StoredConnection, bool) {
	t.Helper()
	if !tg.real() {
		return tg.srv.ConnectionBySlug(workspace, slug)
	}
	tg.mustBeOurs(t, slug)
	ctx, cancel := apiContext()
	defer cancel()
	c, err := tg.client(t, tg.admin).ConnectionBySlug(ctx, workspace, slug)
	if err != nil {
		t.Fatalf("reading %s/%s: %v", workspace, slug, err)
	}
	if c == nil {
		return openhexatest.StoredConnection{}, false
	}
	return storedView(workspace, *c), true
}

func storedView(workspace string, c openhexa.Connection) openhexatest.StoredConnection {
	s := openhexatest.StoredConnection{ID: c.ID, Workspace: workspace, Name: c.Name, Slug: c.Slug,
		Description: c.DescriptionOrEmpty(), Type: string(c.Type)}
	for _, f := range c.Fields {
		v := ""
		if f.Value != nil {
			v = *f.Value
		}
		s.Fields = append(s.Fields, openhexatest.Field{Code: f.Code, Value: v, Secret: f.Secret})
	}
	return s
}

// mustBeOurs stops a test that would touch a connection outside its run.
func (tg *target) mustBeOurs(t *testing.T, slug string) {
	t.Helper()
	if !strings.HasPrefix(slug, tg.prefix) {
		t.Fatalf("test bug: slug %q lacks the run prefix %q; a test touches only what it made", slug, tg.prefix)
	}
}

// create puts a connection on the server out of band, as the web app would (the
// workspace is the target's): into the store, or through the API as admin. The
// connection's slug must carry the run prefix; without a slug, its name must, and
// the connection is created through the API on every target, so that the server
// derives the slug.
func (tg *target) create(t *testing.T, c openhexatest.StoredConnection) openhexatest.StoredConnection {
	t.Helper()
	return tg.createIn(t, tg.workspace, c)
}

// createIn is create in another workspace of the target.
func (tg *target) createIn(t *testing.T, workspace string, c openhexatest.StoredConnection) openhexatest.StoredConnection {
	t.Helper()
	c.Workspace = workspace
	in := openhexa.CreateConnectionInput{WorkspaceSlug: workspace, Name: c.Name, Description: c.Description,
		Type: openhexa.ConnectionType(c.Type), Fields: fieldInputs(c.Fields)}
	if c.Slug == "" {
		if !strings.HasPrefix(c.Name, tg.prefix) {
			t.Fatalf("test bug: name %q lacks the run prefix %q", c.Name, tg.prefix)
		}
	} else {
		tg.mustBeOurs(t, c.Slug)
		if !tg.real() {
			return tg.srv.CreateStored(c)
		}
		slug := c.Slug
		in.Slug = &slug
	}
	ctx, cancel := apiContext()
	defer cancel()
	created, err := tg.client(t, tg.admin).CreateConnection(ctx, in)
	if err != nil {
		t.Fatalf("creating %q in %s out of band: %v", c.Name, workspace, err)
	}
	if c.Slug != "" && created.Slug != c.Slug {
		t.Fatalf("creating %s/%s out of band: the server stored slug %q", workspace, c.Slug, created.Slug)
	}
	tg.mustBeOurs(t, created.Slug)
	return storedView(workspace, *created)
}

func fieldInputs(fields []openhexatest.Field) []openhexa.FieldInput {
	out := make([]openhexa.FieldInput, 0, len(fields))
	for _, f := range fields {
		v := f.Value
		out = append(out, openhexa.FieldInput{Code: f.Code, Value: &v, Secret: f.Secret})
	}
	return out
}

// modify changes the connection under slug out of band, as someone in the web app
// would: fn edits a copy of what the server holds (name, description, slug, fields:
// codes, values, secret flags), which is then stored as is (the store; or one
// updateConnection as admin, sending every field).
func (tg *target) modify(t *testing.T, slug string, fn func(*openhexatest.StoredConnection)) {
	t.Helper()
	current, ok := tg.storedBySlug(t, slug)
	if !ok {
		t.Fatalf("modify: no connection %s/%s", tg.workspace, slug)
	}
	if !tg.real() {
		tg.srv.ModifyStored(current.ID, fn)
		return
	}
	changed := current
	changed.Fields = append([]openhexatest.Field(nil), current.Fields...)
	fn(&changed)
	ctx, cancel := apiContext()
	defer cancel()
	in := openhexa.UpdateConnectionInput{ID: current.ID, Name: &changed.Name, Description: &changed.Description,
		Fields: fieldInputs(changed.Fields), ReplaceFields: true}
	if changed.Slug != current.Slug {
		tg.mustBeOurs(t, changed.Slug)
		in.Slug = &changed.Slug
	}
	if _, err := tg.client(t, tg.admin).UpdateConnection(ctx, in); err != nil {
		t.Fatalf("changing %s/%s out of band: %v", tg.workspace, slug, err)
	}
}

// remove deletes the connection under slug out of band.
func (tg *target) remove(t *testing.T, slug string) {
	t.Helper()
	tg.removeIn(t, tg.workspace, slug)
}

// removeIn is remove in another workspace of the target.
func (tg *target) removeIn(t *testing.T, workspace, slug string) {
	t.Helper()
	current, ok := tg.storedIn(t, workspace, slug)
	if !ok {
		t.Fatalf("remove: no connection %s/%s", workspace, slug)
	}
	if !tg.real() {
		tg.srv.DeleteStored(current.ID)
		return
	}
	ctx, cancel := apiContext()
	defer cancel()
	if err := tg.client(t, tg.admin).DeleteConnection(ctx, current.ID); err != nil {
		t.Fatalf("deleting %s/%s out of band: %v", workspace, slug, err)
	}
}

// held lists, through the API with the admin token, the connections of the run:
// those whose slug or name starts with the run prefix.
func (tg *target) held(ctx context.Context, t *testing.T) []openhexa.Connection {
	t.Helper()
	conns, err := tg.client(t, tg.admin).WorkspaceConnections(ctx, tg.workspace)
	if err != nil {
		t.Fatalf("listing workspace %q: %v", tg.workspace, err)
	}
	var mine []openhexa.Connection
	for _, c := range conns {
		if strings.HasPrefix(c.Slug, tg.prefix) || strings.HasPrefix(c.Name, tg.prefix) {
			mine = append(mine, c)
		}
	}
	return mine
}

// countHeld is how many connections of the run the server holds, for polling during
// an apply: the store of the test server, the API listing of a real instance.
func (tg *target) countHeld(ctx context.Context, t *testing.T) int {
	if !tg.real() {
		n := 0
		for _, c := range tg.srv.Connections(tg.workspace) {
			if strings.HasPrefix(c.Slug, tg.prefix) {
				n++
			}
		}
		return n
	}
	return len(tg.held(ctx, t))
}

// deleteRunConnections deletes every connection of the workspace whose slug starts
// with the run prefix, and nothing else.
func (tg *target) deleteRunConnections(t *testing.T, workspace string) {
	ctx, cancel := apiContext()
	defer cancel()
	deleted := deleteWithSlugPrefix(ctx, t, tg.client(t, tg.admin), workspace, tg.prefix)
	if tg.real() {
		t.Logf("clean-up: deleted %d connection(s) of %q with slug prefix %q", deleted, workspace, tg.prefix)
	}
}

// deleteWithSlugPrefix deletes the connections of workspace whose slug starts with
// prefix (never an empty prefix, never another connection) and returns how many.
func deleteWithSlugPrefix(ctx context.Context, t *testing.T, client *openhexa.Client, workspace, prefix string) int {
	if !strings.HasPrefix(prefix, sweepPrefix) {
		t.Errorf("clean-up refused: prefix %q does not start with %q", prefix, sweepPrefix)
		return 0
	}
	conns, err := client.WorkspaceConnections(ctx, workspace)
	if err != nil {
		t.Errorf("clean-up: listing workspace %q: %v", workspace, err)
		return 0
	}
	deleted := 0
	for _, c := range conns {
		if !strings.HasPrefix(c.Slug, prefix) {
			continue
		}
		if err := client.DeleteConnection(ctx, c.ID); err != nil && !openhexa.IsKind(err, openhexa.KindNotFound) {
			t.Errorf("clean-up: deleting %s (%s): %v", c.Slug, c.ID, err)
			continue
		}
		deleted++
	}
	return deleted
}

// TestAccSweepRealInstance deletes what earlier runs left on the real instance: every
// connection of OPENHEXA_ACC_WORKSPACE (and OPENHEXA_ACC_WORKSPACE_OTHER) whose slug
// starts with "tfacc-", nothing else.
// It runs only when asked (OPENHEXA_ACC_SWEEP=1, make testacc-openhexa-sweep), since
// a sweep during another run would delete that run's connections under it.
func TestAccSweepRealInstance(t *testing.T) {
	if !realInstance() || os.Getenv("OPENHEXA_ACC_SWEEP") != "1" {
		t.Skip("sweeper: runs only with OPENHEXA_ACC_URL and OPENHEXA_ACC_SWEEP=1 (make testacc-openhexa-sweep)")
	}
	acc, missing := realInstanceSettings()
	if len(missing) > 0 {
		t.Fatalf("OPENHEXA_ACC_URL names a real instance but %s unset", strings.Join(missing, ", "))
	}
	tg := &target{url: acc["OPENHEXA_ACC_URL"], workspace: acc["OPENHEXA_ACC_WORKSPACE"]}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	for _, ws := range []string{tg.workspace, os.Getenv("OPENHEXA_ACC_WORKSPACE_OTHER")} {
		if ws == "" {
			continue
		}
		n := deleteWithSlugPrefix(ctx, t, tg.client(t, acc["OPENHEXA_ACC_TOKEN_ADMIN"]), ws, sweepPrefix)
		t.Logf("sweeper: deleted %d connection(s) of workspace %q with slug prefix %q", n, ws, sweepPrefix)
	}
}
