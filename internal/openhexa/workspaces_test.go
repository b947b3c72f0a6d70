package openhexa_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
)

// TestWorkspacesListsWhatTheTokenSeesAcrossPages: the listing pages through the
// workspaces query (100 a page) and returns exactly the workspaces the token can see.
func TestWorkspacesListsWhatTheTokenSeesAcrossPages(t *testing.T) {
	srv := openhexatest.Start(t)
	for i := range 230 {
		slug := fmt.Sprintf("extra-%03d", i)
		srv.AddWorkspace(slug, "Extra")
		if i%2 == 0 {
			srv.AddMember(slug, openhexatest.TokenViewer, openhexatest.RoleViewer)
		}
	}
	slugs := func(token string) []string {
		ws, err := newTestClient(t, srv, token).Workspaces(context.Background())
		if err != nil {
			t.Fatalf("Workspaces: %v", err)
		}
		out := make([]string, 0, len(ws))
		for _, w := range ws {
			out = append(out, w.Slug)
		}
		return out
	}

	srv.ResetRequests()
	viewer := slugs(openhexatest.TokenViewer)
	if len(viewer) != 116 || !slices.Contains(viewer, openhexatest.WorkspaceMain) || slices.Contains(viewer, "extra-001") {
		t.Fatalf("the viewer sees %d workspaces (%v…), want the main one and the 115 even extras", len(viewer), viewer[:3])
	}
	if n := srv.RequestCount(openhexa.OpListWorkspaces); n != 2 {
		t.Errorf("%d ListWorkspaces requests for 116 workspaces, want 2 pages", n)
	}
	if got := slugs(openhexatest.TokenOutsider); !slices.Equal(got, []string{openhexatest.WorkspaceOther}) {
		t.Errorf("the outsider sees %v, want only %s", got, openhexatest.WorkspaceOther)
	}
	if got := slugs(openhexatest.TokenSuperuser); len(got) != 232 {
		t.Errorf("the superuser sees %d workspaces, want all 232", len(got))
	}
	if _, err := newTestClient(t, srv, "not-a-token").Workspaces(context.Background()); err == nil {
		t.Error("an unknown token listed workspaces without error")
	}
}
