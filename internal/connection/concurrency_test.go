package connection_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/blsq/terraform-provider-openhexa/internal/acctest"
	"github.com/blsq/terraform-provider-openhexa/internal/connection"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
)

// TestAccConcurrency200ConnectionsUnderFaults applies 200 connections of every kind
// with -parallelism=20 against a server that fails 5% of requests at random (503 or
// 429): each is created exactly once, state equals the server, the next plan is
// empty, and destroy leaves the server empty. plugin-testing cannot pass
// -parallelism, so this test drives the CLI itself, with the provider built as a
// binary and a dev override (no registry).
func TestAccConcurrency200ConnectionsUnderFaults(t *testing.T) {
	needsTestServer(t, "fault injection and latency on 200 connections")
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if os.Getenv("TF_ACC") == "" || cli == "" {
		t.Skip("acceptance test: set TF_ACC (make testacc)")
	}
	const total = 200
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()

	dir := t.TempDir()
	plugins := filepath.Join(dir, "plugins")
	build := exec.CommandContext(ctx, "go", "build", "-o", filepath.Join(plugins, "terraform-provider-openhexa"), "../..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the provider: %v\n%s", err, out)
	}
	cliConfig := filepath.Join(dir, "cli.tfrc")
	writeFile(t, cliConfig, acctest.DevOverrideConfig(plugins, filepath.Join(dir, "empty-mirror")))

	srv := openhexatest.Start(t)
	work := filepath.Join(dir, "config")
	writeFile(t, filepath.Join(work, "main.tf"), concurrencyConfig(srv, total))

	run := func(args ...string) (string, error) {
		cmd := exec.CommandContext(ctx, cli, args...)
		cmd.Dir = work
		cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+cliConfig, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_LOG=")
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		return out.String(), err
	}

	srv.SetRandomFailures(0.05, 7)
	if out, err := run("apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=20"); err != nil {
		t.Fatalf("apply failed: %v\n%s", err, tail(out))
	}
	failed, creates := 0, 0
	for _, req := range srv.Requests() {
		if req.Status == 429 || req.Status == 503 {
			failed++
			if req.OperationName == "CreateConnection" {
				creates++
			}
		}
	}
	if failed == 0 || creates == 0 {
		t.Fatalf("the server injected %d failures (%d on creates): the test proves nothing", failed, creates)
	}
	t.Logf("apply survived %d injected failures, %d of them on CreateConnection", failed, creates)
	stored := srv.AllConnections()
	if len(stored) != total {
		t.Fatalf("the server holds %d connections after apply, want exactly %d", len(stored), total)
	}
	out, err := run("show", "-json", "-no-color")
	if err != nil {
		t.Fatalf("show failed: %v\n%s", err, tail(out))
	}
	if stateIDs, serverIDs := stateConnectionIDs(t, out), storedIDs(stored); strings.Join(stateIDs, ",") != strings.Join(serverIDs, ",") {
		t.Fatalf("state holds %d ids, the server %d, and they differ", len(stateIDs), len(serverIDs))
	}
	if out, err := run("plan", "-detailed-exitcode", "-input=false", "-no-color", "-parallelism=20"); err != nil {
		t.Fatalf("the plan after apply is not empty (or failed): %v\n%s", err, tail(out))
	}
	if out, err := run("destroy", "-auto-approve", "-input=false", "-no-color", "-parallelism=20"); err != nil {
		t.Fatalf("destroy failed: %v\n%s", err, tail(out))
	}
	if n := len(srv.AllConnections()); n != 0 {
		t.Fatalf("the server still holds %d connections after destroy", n)
	}
}

// concurrencyConfig spreads total connections over every kind, with count.
func concurrencyConfig(srv *openhexatest.Server, total int) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, `terraform {
  required_providers {
    openhexa = { source = "blsq/openhexa" }
  }
}

provider "openhexa" {
  url         = %q
  token       = %q
  workspace   = %q
  max_retries = 10
}
`, srv.URL(), openhexatest.TokenEditor, openhexatest.WorkspaceMain)
	per := total / len(connection.Kinds)
	for i, kind := range connection.Kinds {
		n := per
		if i == len(connection.Kinds)-1 {
			n = total - per*(len(connection.Kinds)-1)
		}
		fmt.Fprintf(&sb, "\nresource %q \"many\" {\n  count = %d\n  name  = \"%s ${count.index}\"\n%s\n}\n",
			kind.ResourceTypeName(), n, kind.Title, kindSamples[kind.Name].create.hcl())
	}
	return sb.String()
}

func stateConnectionIDs(t *testing.T, showJSON string) []string {
	t.Helper()
	var state struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Values map[string]any `json:"values"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal([]byte(showJSON), &state); err != nil {
		t.Fatalf("decoding show -json: %v", err)
	}
	var ids []string
	for _, r := range state.Values.RootModule.Resources {
		id, _ := r.Values["id"].(string)
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

func storedIDs(conns []openhexatest.StoredConnection) []string {
	ids := make([]string, 0, len(conns))
	for _, c := range conns {
		ids = append(ids, c.ID)
	}
	sort.Strings(ids)
	return ids
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func tail(s string) string {
	if len(s) > 4000 {
		return "…" + s[len(s)-4000:]
	}
	return s
}
