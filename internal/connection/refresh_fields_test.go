package connection_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/acctest"
	"github.com/blsq/terraform-provider-openhexa/internal/connection"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
)

// A refresh lists each workspace without fields and reads fields only for the
// connections whose updated_at moved since their fields were read (privateData.FieldsAt,
// openhexa.Client.ConnectionIfChanged). These tests pin which listings a refresh sends
// and that nothing the server changed through a successful write is missed.

// listingCounts is how many of each listing and by-id read the server answered.
type listingCounts struct{ summaries, full, byID int }

func countListings(srv *openhexatest.Server) listingCounts {
	return listingCounts{
		summaries: srv.RequestCount(openhexa.OpListWorkspaceConnectionSummaries),
		full:      srv.RequestCount(openhexa.OpListWorkspaceConnections),
		byID:      srv.RequestCount(openhexa.OpGetConnection),
	}
}

// TestRefreshReadsFieldsOnlyWhereUpdatedAtMoved: one connection of every kind; an
// unchanged refresh sends one listing without fields and nothing else; after one of
// them changes out of band, the refresh adds one listing with fields and finds the
// change, the others staying as they were.
func TestRefreshReadsFieldsOnlyWhereUpdatedAtMoved(t *testing.T) {
	srv := openhexatest.Start(t)
	writer := newHarness(t, srv, openhexatest.TokenEditor)
	var written []*instance
	for _, kind := range connection.Kinds {
		written = append(written, writer.create(kind.ResourceTypeName(), config("Refresh "+kind.Name, "", "", kindSamples[kind.Name].create)))
	}

	srv.ResetRequests()
	reader := newHarness(t, srv, openhexatest.TokenEditor)
	for _, inst := range written {
		if again := reader.read(inst); !again.State.Equal(inst.State) {
			t.Errorf("%s: an unchanged refresh changed state: %v", inst.TypeName, again.State)
		}
	}
	if got := countListings(srv); got != (listingCounts{summaries: 1}) {
		t.Errorf("unchanged refresh sent %+v, want one listing without fields", got)
	}

	postgres := written[0]
	if postgres.TypeName != connection.KindByName("postgres").ResourceTypeName() {
		t.Fatalf("test bug: the first kind is %s", postgres.TypeName)
	}
	srv.ModifyStored(postgres.str(t, "id"), func(c *openhexatest.StoredConnection) {
		for i := range c.Fields {
			if c.Fields[i].Code == "host" {
				c.Fields[i].Value = "moved.example.org"
			}
		}
	})
	srv.ResetRequests()
	reader = newHarness(t, srv, openhexatest.TokenEditor)
	for i, inst := range written {
		again := reader.read(inst)
		if i == 0 {
			wantState(t, again, map[string]any{"host": "moved.example.org"})
			if again.str(t, "updated_at") == inst.str(t, "updated_at") {
				t.Errorf("updated_at did not move")
			}
			continue
		}
		if !again.State.Equal(inst.State) {
			t.Errorf("%s: unchanged, yet its state changed: %v", inst.TypeName, again.State)
		}
	}
	if got := countListings(srv); got != (listingCounts{summaries: 1, full: 1}) {
		t.Errorf("refresh with one change sent %+v, want one listing of each kind", got)
	}
}

// TestRefreshAfterUnreadableSecretsReadsFieldsAgain: a VIEWER's refresh of a changed
// connection cannot read its secrets and keeps what state knows; the next refresh
// with a token that may read them reads the fields again although updated_at has not
// moved since, and finds the secret changed in OpenHEXA.
func TestRefreshAfterUnreadableSecretsReadsFieldsAgain(t *testing.T) {
	srv := openhexatest.Start(t)
	inst := newHarness(t, srv, openhexatest.TokenEditor).create(connection.KindByName("postgres").ResourceTypeName(),
		config("Viewer first", "", "", kindSamples["postgres"].create))
	srv.ModifyStored(inst.str(t, "id"), func(c *openhexatest.StoredConnection) {
		c.Description = "changed in the web app"
		for i := range c.Fields {
			if c.Fields[i].Code == "password" {
				c.Fields[i].Value = "rotated-elsewhere"
			}
		}
	})

	byViewer := newHarness(t, srv, openhexatest.TokenViewer).read(inst)
	wantState(t, byViewer, map[string]any{"description": "changed in the web app", "password": "pg-secret-1"})

	srv.ResetRequests()
	byEditor := newHarness(t, srv, openhexatest.TokenEditor).read(byViewer)
	wantState(t, byEditor, map[string]any{"password": "rotated-elsewhere"})
	if got := countListings(srv); got.full != 1 {
		t.Errorf("the editor's refresh sent %+v, want a listing with fields", got)
	}

	srv.ResetRequests()
	newHarness(t, srv, openhexatest.TokenEditor).read(byEditor)
	if got := countListings(srv); got != (listingCounts{summaries: 1}) {
		t.Errorf("once read with secrets, a refresh sent %+v, want one listing without fields", got)
	}
}

// TestRefreshFullRefreshSeesWritesThatKeepUpdatedAt: an update that OpenHEXA refuses
// (here a slug clash) has already saved its fields, without moving updated_at. The
// default refresh does not see that change (documented under `full_refresh`);
// `full_refresh = true` or OPENHEXA_FULL_REFRESH=true does, reading every field.
func TestRefreshFullRefreshSeesWritesThatKeepUpdatedAt(t *testing.T) {
	srv := openhexatest.Start(t)
	writer := newHarness(t, srv, openhexatest.TokenEditor)
	postgres := connection.KindByName("postgres").ResourceTypeName()
	inst := writer.create(postgres, config("Half written", "half-written", "", kindSamples["postgres"].create))
	writer.create(postgres, config("Slug holder", "slug-holder", "", kindSamples["postgres"].create))

	client, err := openhexa.NewClient(openhexa.Config{URL: srv.URL(), Token: openhexatest.TokenAdmin})
	if err != nil {
		t.Fatal(err)
	}
	sent := storedFromSample(connection.KindByName("postgres"), "half-written", kindSamples["postgres"].create)
	fields := fieldInputs(withField(sent.Fields, "host", "half.example.org"))
	name, description, clash := "Half written", "", "slug-holder"
	_, err = client.UpdateConnection(context.Background(), openhexa.UpdateConnectionInput{ID: inst.str(t, "id"),
		Name: &name, Description: &description, Slug: &clash, Fields: fields, ReplaceFields: true})
	if !openhexa.IsKind(err, openhexa.KindInvalid) {
		t.Fatalf("the clashing update: want INVALID_SLUG, got %v", err)
	}
	stored, _ := srv.ConnectionBySlug(openhexatest.WorkspaceMain, "half-written")
	host := ""
	for _, f := range stored.Fields {
		if f.Code == "host" {
			host = f.Value
		}
	}
	if host != "half.example.org" || stored.UpdatedAt.Format("2006-01-02T15:04:05.000Z") != inst.str(t, "updated_at") {
		t.Fatalf("test bug: the server does not hold the half-written update as the real one does: %+v", stored)
	}

	byDefault := newHarness(t, srv, openhexatest.TokenEditor).read(inst)
	wantState(t, byDefault, map[string]any{"host": "db.example.org"})

	base := map[string]any{"url": srv.URL(), "token": openhexatest.TokenEditor, "workspace": openhexatest.WorkspaceMain}
	withSetting := map[string]any{"full_refresh": true}
	for k, v := range base {
		withSetting[k] = v
	}
	srv.ResetRequests()
	wantState(t, newHarnessConfig(t, withSetting).read(inst), map[string]any{"host": "half.example.org"})
	if got := countListings(srv); got != (listingCounts{full: 1}) {
		t.Errorf("full_refresh sent %+v, want one listing with fields only", got)
	}

	t.Setenv("OPENHEXA_FULL_REFRESH", "true")
	wantState(t, newHarnessConfig(t, base).read(inst), map[string]any{"host": "half.example.org"})
	withSetting["full_refresh"] = false
	wantState(t, newHarnessConfig(t, withSetting).read(inst), map[string]any{"host": "db.example.org"})
}

// TestAccFullRefreshSeesHalfWrittenUpdate, through the CLI: someone's update that
// OpenHEXA refuses for its slug has already saved a changed host, and updated_at did
// not move. The default plan cannot see it; with `full_refresh = true` the plan
// shows the update that puts the configured host back, and the apply does.
func TestAccFullRefreshSeesHalfWrittenUpdate(t *testing.T) {
	tg := targetFor(t)
	kind := connection.KindByName("postgres")
	addr := kind.ResourceTypeName() + ".test"
	values := kindSamples["postgres"].create
	name, slug, holderSlug := tg.name("Half written"), tg.slug("half-written"), tg.slug("slug-holder")
	config := tg.config(tg.editor, kind, name, slug, "", values)
	fullRefresh := strings.Replace(config, "provider \"openhexa\" {\n", "provider \"openhexa\" {\n  full_refresh = true\n", 1)
	if fullRefresh == config {
		t.Fatal("test bug: no provider block to set full_refresh in")
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             tg.empty(t),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					tg.create(t, storedFromSample(kind, holderSlug, values))
					halfWrite(t, tg, slug, holderSlug, "half.example.org")
					tg.remove(t, holderSlug)
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
			{
				Config: fullRefresh,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: tg.holds(t, kind, name, slug, values),
			},
		},
	})
}

// halfWrite sends, as admin, an update of the connection under slug that changes its
// host and asks for the slug clash; OpenHEXA refuses it after saving the fields.
func halfWrite(t *testing.T, tg *target, slug, clash, host string) {
	t.Helper()
	current, ok := tg.storedBySlug(t, slug)
	if !ok {
		t.Fatalf("no connection %s/%s", tg.workspace, slug)
	}
	tg.mustBeOurs(t, clash)
	fields := fieldInputs(withField(current.Fields, "host", host))
	ctx, cancel := apiContext()
	defer cancel()
	_, err := tg.client(t, tg.admin).UpdateConnection(ctx, openhexa.UpdateConnectionInput{ID: current.ID,
		Name: &current.Name, Description: &current.Description, Slug: &clash, Fields: fields, ReplaceFields: true})
	if !openhexa.IsKind(err, openhexa.KindInvalid) {
		t.Fatalf("the clashing update: want INVALID_SLUG, got %v", err)
	}
	if after, _ := tg.storedBySlug(t, slug); !slices.ContainsFunc(after.Fields, func(f openhexatest.Field) bool { return f.Code == "host" && f.Value == host }) {
		t.Fatalf("the refused update did not save the host, unlike the real server: %+v", after.Fields)
	}
}

// withField returns a copy of fields with code's value replaced.
func withField(fields []openhexatest.Field, code, value string) []openhexatest.Field {
	out := slices.Clone(fields)
	for i := range out {
		if out[i].Code == code {
			out[i].Value = value
		}
	}
	return out
}
