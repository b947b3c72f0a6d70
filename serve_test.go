package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/blsq/terraform-provider-openhexa/internal/acctest"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
)

func TestLogRequested(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want bool
	}{
		{map[string]string{}, false},
		{map[string]string{"TF_LOG": ""}, false}, // empty is unset, for the CLI too
		{map[string]string{"TF_LOG_CORE": "trace", "TF_LOG_SDK_PROTO_DATA_DIR": "/tmp"}, false},
		{map[string]string{"TF_LOG": "trace"}, true},
		{map[string]string{"TF_LOG_PATH": "/tmp/tf.log"}, true},
		{map[string]string{"TF_LOG_PROVIDER": "debug"}, true},
		{map[string]string{"TF_LOG_PROVIDER_OPENHEXA": "info"}, true},
		{map[string]string{"TF_LOG_SDK": "off"}, true},
		{map[string]string{"TF_LOG_SDK_FRAMEWORK": "trace"}, true},
		{map[string]string{"TF_LOG_SDK_PROTO": "trace"}, true},
	} {
		lookup := func(name string) (string, bool) { v, ok := tc.env[name]; return v, ok }
		if got := logRequested(lookup); got != tc.want {
			t.Errorf("logRequested(%v) = %t, want %t", tc.env, got, tc.want)
		}
	}
}

// logSecret is in the configuration's secrets: it must reach no log, at any level.
const logSecret = "log-marker-5ecret-9f3c"

// TestAccProviderLogsOnlyWhenAsked runs the built binary (main.go, which the
// in-process acceptance tests never run) under the CLI through a dev override whose
// provider is a wrapper recording the provider's stderr, where its log lines go. With
// no TF_LOG* variable set, an apply, an update and a plan write not one line; with
// TF_LOG=trace every logger writes its TRACE lines, as before, and the CLI's log has
// them, without the secrets or the token; each other variable on its own turns
// logging on too.
func TestAccProviderLogsOnlyWhenAsked(t *testing.T) {
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if os.Getenv("TF_ACC") == "" || cli == "" {
		t.Skip("acceptance test: set TF_ACC and TF_ACC_TERRAFORM_PATH (make testacc)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	dir := t.TempDir()
	binary := filepath.Join(dir, "bin", "terraform-provider-openhexa")
	if out, err := exec.CommandContext(ctx, "go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		t.Fatalf("building the provider: %v\n%s", err, out)
	}
	// The wrapper copies the provider's stderr to one file per process and on to the
	// CLI, and exits only when the copy is complete.
	plugins := filepath.Join(dir, "plugins")
	writeTestFile(t, filepath.Join(plugins, "terraform-provider-openhexa"), fmt.Sprintf(`#!/usr/bin/env bash
record="$OPENHEXA_TEST_STDERR_DIR/provider.$$"
: > "$record"
%q "$@" 2> >(tee -a "$record" >&2)
rc=$?
wait $!
exit $rc
`, binary), 0o755)
	cliConfig := filepath.Join(dir, "cli.tfrc")
	writeTestFile(t, cliConfig, acctest.DevOverrideConfig(plugins, filepath.Join(dir, "empty-mirror")), 0o644)

	srv := openhexatest.Start(t)
	work := filepath.Join(dir, "config")
	writeConfig := func(password string) {
		writeTestFile(t, filepath.Join(work, "main.tf"), fmt.Sprintf(`
terraform {
  required_providers {
    openhexa = { source = "blsq/openhexa" }
  }
}
provider "openhexa" {
  url       = %q
  token     = %q
  workspace = %q
}
resource "openhexa_postgres_connection" "db" {
  name     = "Log test warehouse"
  host     = "db.example.org"
  db_name  = "warehouse"
  username = "reader"
  password = %q
}
resource "openhexa_custom_connection" "api" {
  name          = "Log test API"
  fields        = { base_url = "https://api.example.org" }
  secret_fields = { api_key = %q }
}
`, srv.URL(), openhexatest.TokenEditor, openhexatest.WorkspaceMain, password, logSecret+"-api"), 0o644)
	}

	// run runs the CLI with only the given TF_LOG* variables and returns what each
	// provider process wrote to stderr.
	run := func(logEnv map[string]string, args ...string) []string {
		t.Helper()
		records := t.TempDir()
		env := []string{"TF_CLI_CONFIG_FILE=" + cliConfig, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
			"OPENHEXA_TEST_STDERR_DIR=" + records}
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, "TF_") && !strings.HasPrefix(kv, "OPENHEXA_") && !strings.HasPrefix(kv, "HEXA_") {
				env = append(env, kv)
			}
		}
		for k, v := range logEnv {
			env = append(env, k+"="+v)
		}
		cmd := exec.CommandContext(ctx, cli, append(args, "-no-color", "-input=false")...)
		cmd.Dir, cmd.Env = work, env
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s with %v: %v\n%s", strings.Join(args, " "), logEnv, err, out.String())
		}
		files, _ := filepath.Glob(filepath.Join(records, "provider.*"))
		if len(files) == 0 {
			t.Fatalf("%s with %v started no provider through the wrapper: the test proves nothing", strings.Join(args, " "), logEnv)
		}
		var stderr []string
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			stderr = append(stderr, string(b))
		}
		return stderr
	}
	lines := func(stderr []string) int {
		n := 0
		for _, s := range stderr {
			n += strings.Count(s, "\n")
		}
		return n
	}

	// Nothing set: not one line, from a create, an update (which logs requests
	// under TF_LOG) or a plan with refresh.
	writeConfig(logSecret + "-1")
	for _, args := range [][]string{{"apply", "-auto-approve"}, {"plan"}} {
		if stderr := run(nil, args...); lines(stderr) != 0 || strings.Join(stderr, "") != "" {
			t.Errorf("%s with no TF_LOG* set: the provider wrote %d lines to stderr, want none:\n%s",
				args[0], lines(stderr), limit(strings.Join(stderr, "")))
		}
	}
	writeConfig(logSecret + "-2")
	if stderr := run(nil, "apply", "-auto-approve"); strings.Join(stderr, "") != "" {
		t.Errorf("update with no TF_LOG* set: the provider wrote to stderr:\n%s", limit(strings.Join(stderr, "")))
	}

	// TF_LOG=trace: TRACE lines of every logger, in the provider's stderr and in the
	// CLI's log, and no secret in either.
	cliLog := filepath.Join(dir, "cli.log")
	writeConfig(logSecret + "-3")
	stderr := run(map[string]string{"TF_LOG": "trace", "TF_LOG_PATH": cliLog}, "apply", "-auto-approve")
	seen := map[string]int{}
	for _, s := range stderr {
		for _, line := range strings.Split(strings.TrimSpace(s), "\n") {
			var entry struct {
				Level  string `json:"@level"`
				Module string `json:"@module"`
			}
			if err := json.Unmarshal([]byte(line), &entry); err == nil {
				seen[entry.Module+"/"+entry.Level]++
			}
		}
	}
	// The SDK's subsystems log at TRACE; our own logger ("openhexa", TF_LOG_PROVIDER_OPENHEXA)
	// and go-plugin's (no module) have no TRACE line to give, so their DEBUG lines count.
	for _, want := range []string{"sdk.proto/trace", "sdk.framework/trace", "openhexa/debug", "/debug"} {
		if seen[want] == 0 {
			t.Errorf("TF_LOG=trace: no %s line in the provider's stderr (lines by module/level: %v)", want, seen)
		}
	}
	all := strings.Join(stderr, "")
	for _, want := range []string{"OpenHEXA request", "plugin address"} {
		if !strings.Contains(all, want) {
			t.Errorf("TF_LOG=trace: no %q line in the provider's stderr", want)
		}
	}
	raw, err := os.ReadFile(cliLog)
	if err != nil {
		t.Fatalf("TF_LOG_PATH: %v", err)
	}
	if !strings.Contains(string(raw), "@module=sdk.framework") || !strings.Contains(string(raw), "OpenHEXA request") {
		t.Errorf("TF_LOG=trace: the CLI's log lacks the provider's lines")
	}
	for name, text := range map[string]string{"the provider's stderr": all, "the CLI's log": string(raw)} {
		for _, secret := range []string{logSecret, openhexatest.TokenEditor, "Bearer "} {
			if i := strings.Index(text, secret); i >= 0 {
				t.Errorf("%s holds %q: …%s…", name, secret, text[max(0, i-200):min(len(text), i+100)])
			}
		}
	}

	// Any one of the variables turns logging on.
	for _, kv := range [][2]string{
		{"TF_LOG_PATH", filepath.Join(dir, "path-only.log")}, {"TF_LOG_PROVIDER", "trace"},
		{"TF_LOG_PROVIDER_OPENHEXA", "trace"}, {"TF_LOG_SDK", "trace"}, {"TF_LOG_SDK_FRAMEWORK", "trace"},
		{"TF_LOG_SDK_PROTO", "trace"},
	} {
		if stderr := run(map[string]string{kv[0]: kv[1]}, "plan", "-refresh=false"); lines(stderr) == 0 {
			t.Errorf("%s=%s: the provider wrote no log line", kv[0], kv[1])
		}
	}
}

func writeTestFile(t *testing.T, path, content string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
}

func limit(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "…"
	}
	return s
}
