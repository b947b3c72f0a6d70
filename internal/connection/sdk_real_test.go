package connection_test

// The real client in the loop: the OpenHEXA Python SDK (scripts/openhexa-sdk.sh, the
// version pinned with hashes there) reads back what this leg declares on a real
// OpenHEXA, through the API and in a local run, and what the provider warns about
// fails in the SDK as the warning says. Real instance only (make testacc-openhexa),
// where the SDK is required: the test-server suite has no Python.

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

	"github.com/blsq/terraform-provider-openhexa/internal/connection"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
	"github.com/blsq/terraform-provider-openhexa/internal/slug"
)

// sdkPython is the python of the SDK's environment. On the test server the SDK
// tests skip (they need a real OpenHEXA); on a real instance its absence fails them.
func sdkPython(t *testing.T) string {
	t.Helper()
	if !realInstance() {
		t.Skip("reads connections back with the OpenHEXA SDK from a real OpenHEXA: make testacc-openhexa")
	}
	python := os.Getenv("OPENHEXA_ACC_SDK_PYTHON")
	if python == "" {
		t.Fatal("OPENHEXA_ACC_SDK_PYTHON is not set: the real-instance leg reads connections back with the OpenHEXA " +
			"SDK, whose environment make testacc-openhexa makes (scripts/openhexa-sdk.sh) and names in it")
	}
	out, err := exec.Command(python, "-c", "import importlib.metadata as m; print(m.version('openhexa.sdk'))").CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != slug.SDKVersion {
		t.Fatalf("%s has no openhexa-sdk %s (%v): %s", python, slug.SDKVersion, err, out)
	}
	return python
}

// sdkRead is one call of the SDK, and its result.
type sdkRead struct {
	Key        string `json:"key"`
	Call       string `json:"call"`
	Identifier string `json:"identifier"`
}

type sdkResult struct {
	Class  string         `json:"class"`
	Fields map[string]any `json:"fields"`
	Error  *struct {
		Type    string `json:"type"`
		Message string `json:"message"`
	} `json:"error"`
}

// runSDK makes the reads in one Python process with env (and nothing of the test's
// own environment that the SDK reads: no HEXA_* nor connection variable leaks in).
func runSDK(ctx context.Context, t *testing.T, python string, env map[string]string, reads []sdkRead) map[string]sdkResult {
	t.Helper()
	input, err := json.Marshal(reads)
	if err != nil {
		t.Fatal(err)
	}
	resultFile := filepath.Join(t.TempDir(), "results.json")
	cmd := exec.CommandContext(ctx, python, filepath.Join("testdata", "sdk", "read_connections.py"), resultFile)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "PYTHONDONTWRITEBYTECODE=1"}
	names := make([]string, 0, len(env))
	for name := range env {
		names = append(names, name)
	}
	sort.Strings(names) // a local run takes a custom connection's fields in the environment's order
	for _, name := range names {
		cmd.Env = append(cmd.Env, name+"="+env[name])
	}
	cmd.Stdin = bytes.NewReader(input)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the SDK's reader failed: %v\n%s", err, out)
	}
	raw, err := os.ReadFile(resultFile)
	if err != nil {
		t.Fatal(err)
	}
	results := map[string]sdkResult{}
	if err := json.Unmarshal(raw, &results); err != nil {
		t.Fatal(err)
	}
	return results
}

// sdkCase is one connection the test declares, and what the SDK makes of it.
type sdkCase struct {
	key, kind, slug string
	plain, secret   map[string]string // built-in: by code; custom: fields and secret_fields
	writeOnly       map[string]string // sent through the write-only attributes
	// warning is the plan's warning on the resource, "" for none.
	warning string
	// api and local check what the SDK gave; nil: every field as declared.
	api, local func(t *testing.T, got sdkResult)
}

func (c sdkCase) kindOf() *connection.Kind { return connection.KindByName(c.kind) }

// values are every field as declared, by code.
func (c sdkCase) values() map[string]string {
	out := map[string]string{}
	for _, m := range []map[string]string{c.plain, c.secret, c.writeOnly} {
		for code, v := range m {
			out[code] = v
		}
	}
	return out
}

// resource is the case's resource block, and the output of its env_vars.
func (c sdkCase) hcl(tg *target) string {
	k := c.kindOf()
	var sb strings.Builder
	fmt.Fprintf(&sb, "\nresource %q %q {\n  name = %q\n  slug = %q\n", k.ResourceTypeName(), c.key, tg.name("SDK "+c.key), c.slug)
	hclMap := func(m map[string]string) string {
		codes := make([]string, 0, len(m))
		for code := range m {
			codes = append(codes, code)
		}
		sort.Strings(codes)
		parts := make([]string, 0, len(codes))
		for _, code := range codes {
			parts = append(parts, fmt.Sprintf("%q = %q", code, m[code]))
		}
		return "{ " + strings.Join(parts, ", ") + " }"
	}
	envFields := []string{}
	addr := k.ResourceTypeName() + "." + c.key
	if k.Custom {
		if len(c.plain) > 0 {
			fmt.Fprintf(&sb, "  fields = %s\n", hclMap(c.plain))
			envFields = append(envFields, addr+".fields")
		}
		if len(c.secret) > 0 {
			fmt.Fprintf(&sb, "  secret_fields = %s\n", hclMap(c.secret))
			envFields = append(envFields, addr+".secret_fields")
		}
		if len(c.writeOnly) > 0 {
			fmt.Fprintf(&sb, "  secret_fields_wo = %s\n  secret_fields_wo_version = 1\n", hclMap(c.writeOnly))
			envFields = append(envFields, hclMap(c.writeOnly)) // write-only: never readable back
		}
	} else {
		refs := map[string]string{}
		for code, v := range c.plain {
			fmt.Fprintf(&sb, "  %s = %q\n", code, v)
			refs[code] = addr + "." + code
		}
		for code, v := range c.secret {
			fmt.Fprintf(&sb, "  %s = %q\n", code, v)
			refs[code] = addr + "." + code
		}
		for code, v := range c.writeOnly {
			fmt.Fprintf(&sb, "  %s_wo = %q\n  %s_wo_version = 1\n", code, v, code)
			refs[code] = fmt.Sprintf("%q", v)
		}
		codes := make([]string, 0, len(refs))
		for code := range refs {
			codes = append(codes, code)
		}
		sort.Strings(codes)
		parts := make([]string, 0, len(codes))
		for _, code := range codes {
			parts = append(parts, fmt.Sprintf("%q = %s", code, refs[code]))
		}
		envFields = append(envFields, "{ "+strings.Join(parts, ", ")+" }")
	}
	fields := envFields[0]
	if len(envFields) > 1 {
		fields = "merge(" + strings.Join(envFields, ", ") + ")"
	}
	fmt.Fprintf(&sb, "}\n\noutput %q {\n  value     = provider::openhexa::env_vars(%s.slug, %q, %s)\n  sensitive = true\n}\n",
		"env_"+c.key, addr, string(k.APIType), fields)
	return sb.String()
}

// declared is what the SDK returns for the case as declared: every field under the
// SDK's name for it (slug.SDKVersion's classes), and identifier, the slug passed.
func (c sdkCase) declared(t *testing.T) map[string]any {
	t.Helper()
	v := c.values()
	out := map[string]any{"identifier": c.slug}
	switch c.kind {
	case "postgres":
		var port int
		if _, err := fmt.Sscan(v["port"], &port); err != nil {
			t.Fatal(err)
		}
		out["host"], out["port"], out["username"], out["password"], out["database_name"] = v["host"], float64(port), v["username"], v["password"], v["db_name"]
		out["url"] = fmt.Sprintf("postgresql://%s:%s@%s:%d/%s", v["username"], v["password"], v["host"], port, v["db_name"])
	case "s3":
		out["bucket_name"], out["access_key_id"], out["secret_access_key"] = v["bucket_name"], v["access_key_id"], v["access_key_secret"]
	default:
		for code, value := range v {
			out[code] = value
		}
	}
	return out
}

// wantFields fails unless the SDK read the connection with exactly these fields.
func wantFields(t *testing.T, what string, got sdkResult, want map[string]any) {
	t.Helper()
	if got.Error != nil {
		t.Errorf("%s: the SDK raised %s: %s", what, got.Error.Type, got.Error.Message)
		return
	}
	var diff []string
	for name, w := range want {
		if g, ok := got.Fields[name]; !ok || fmt.Sprint(g) != fmt.Sprint(w) {
			diff = append(diff, name) // names only: values may be secrets
		}
	}
	for name := range got.Fields {
		if _, ok := want[name]; !ok {
			diff = append(diff, name+" (not declared)")
		}
	}
	if len(diff) > 0 {
		sort.Strings(diff)
		t.Errorf("%s: the SDK's %s differs on %s", what, got.Class, strings.Join(diff, ", "))
	}
}

// wantRaise fails unless the SDK raised an exception of that type whose message
// holds every part.
func wantRaise(t *testing.T, what string, got sdkResult, typ string, parts ...string) {
	t.Helper()
	if got.Error == nil {
		t.Errorf("%s: the SDK read the connection (%s), want %s", what, got.Class, typ)
		return
	}
	if got.Error.Type != typ {
		t.Errorf("%s: the SDK raised %s (%s), want %s", what, got.Error.Type, got.Error.Message, typ)
	}
	for _, p := range parts {
		if !strings.Contains(got.Error.Message, p) {
			t.Errorf("%s: the SDK's %s lacks %q: %s", what, got.Error.Type, p, got.Error.Message)
		}
	}
}

// TestAccSDKReadsBackWhatTheLegDeclares applies, through the CLI, a connection of
// every type (secrets through the sensitive and the write-only attributes, an S3
// connection without keys) and the cases the provider warns about, then reads each
// one with the OpenHEXA SDK through the API (HEXA_SERVER_URL, HEXA_TOKEN,
// HEXA_WORKSPACE) and in a local run (the variables of provider::openhexa::env_vars,
// read from an output): the values are the declared ones, and each warned case fails
// (or reads under another name) as its warning, which the plan gives, says.
func TestAccSDKReadsBackWhatTheLegDeclares(t *testing.T) {
	python := sdkPython(t)
	cli := requireCLI(t)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	tg := targetFor(t)
	key := `{"type":"service_account","client_email":"etl@p.iam.gserviceaccount.com","private_key":"-----BEGIN PRIVATE KEY-----\nSDKTEST\n-----END PRIVATE KEY-----\n"}`
	lowerTwin, upperTwin := tg.slug("db"), tg.slug("DB")
	cases := []sdkCase{
		{key: "postgres", kind: "postgres", slug: tg.slug("sdk-postgres"),
			plain:  map[string]string{"host": "db.example.org", "port": "6543", "db_name": "malaria", "username": "reader"},
			secret: map[string]string{"password": "pg-secret-1"}},
		{key: "postgres_wo", kind: "postgres", slug: tg.slug("sdk-postgres-wo"),
			plain:     map[string]string{"host": "db2.example.org", "port": "5432", "db_name": "dwh", "username": "etl"},
			writeOnly: map[string]string{"password": "pg-secret-wo"}},
		{key: "dhis2", kind: "dhis2", slug: tg.slug("sdk-dhis2"),
			plain:  map[string]string{"url": "https://play.dhis2.example.org/40", "username": "admin"},
			secret: map[string]string{"password": "dhis2-secret"}},
		{key: "iaso", kind: "iaso", slug: tg.slug("sdk-iaso"),
			plain:     map[string]string{"url": "https://iaso.example.org", "username": "iaso-user"},
			writeOnly: map[string]string{"password": "iaso-secret-wo"}},
		{key: "s3", kind: "s3", slug: tg.slug("sdk-s3"),
			plain:  map[string]string{"bucket_name": "malaria-data", "access_key_id": "AKIAEXAMPLE1"},
			secret: map[string]string{"access_key_secret": "s3-secret"}},
		{key: "s3_public", kind: "s3", slug: tg.slug("sdk-s3-public"),
			plain: map[string]string{"bucket_name": "public-data", "access_key_id": ""}, secret: map[string]string{"access_key_secret": ""}},
		{key: "gcs", kind: "gcs", slug: tg.slug("sdk-gcs"),
			plain: map[string]string{"bucket_name": "malaria-gcs"}, secret: map[string]string{"service_account_key": key}},
		{key: "custom", kind: "custom", slug: tg.slug("sdk-custom"),
			plain: map[string]string{"base_url": "https://api.example.org", "region": "eu"}, secret: map[string]string{"api_key": "custom-secret"},
			writeOnly: map[string]string{"token": "custom-token-wo"}},

		// What the provider warns about.
		{key: "reserved_code", kind: "custom", slug: tg.slug("sdk-reserved"), warning: "Field code the OpenHEXA SDK reserves",
			plain: map[string]string{"base_url": "https://api.example.org", "identifier": "x"},
			api: func(t *testing.T, got sdkResult) {
				wantRaise(t, "identifier, through the API", got, "TypeError", "non-default argument", "follows default argument")
			},
			local: func(t *testing.T, got sdkResult) {
				wantRaise(t, "identifier, locally", got, "TypeError", "non-default argument", "follows default argument")
			}},
		// A field after __init__ makes the SDK raise: __z comes after it in OpenHEXA (the
		// provider sends codes sorted) and in the sorted environment (__Z after __INIT__).
		{key: "dunder_code", kind: "custom", slug: tg.slug("sdk-dunder"), warning: "Field code the OpenHEXA SDK reserves",
			plain: map[string]string{"__init__": "x", "__z": "y"},
			api: func(t *testing.T, got sdkResult) {
				wantRaise(t, "__init__, through the API", got, "TypeError", "follows default argument")
			},
			local: func(t *testing.T, got sdkResult) {
				wantRaise(t, "__init__, locally", got, "TypeError", "follows default argument")
			}},
		{key: "upper", kind: "custom", slug: tg.slug("SDK-Upper"), warning: "Slug the OpenHEXA SDK cannot find",
			plain: map[string]string{"base_url": "https://api.example.org"},
			api: func(t *testing.T, got sdkResult) {
				wantRaise(t, "capitals, through the API", got, "ConnectionDoesNotExist", fmt.Sprintf("No Custom connection for %q", tg.slug("SDK-Upper")))
			}},
		{key: "twin_lower", kind: "custom", slug: lowerTwin, warning: "Slug the OpenHEXA SDK confuses with another",
			plain: map[string]string{"host": "lower.example.org"}},
		{key: "twin_upper", kind: "custom", slug: upperTwin, warning: "Slug the OpenHEXA SDK confuses with another",
			plain: map[string]string{"host": "upper.example.org"},
			api: func(t *testing.T, got sdkResult) {
				wantFields(t, "the upper-case twin, through the API", got, map[string]any{"identifier": upperTwin, "host": "lower.example.org"})
			}},
		{key: "camel_code", kind: "custom", slug: tg.slug("sdk-camel"), warning: "Field code read under another name in local runs",
			plain: map[string]string{"apiKey": "k"},
			local: func(t *testing.T, got sdkResult) {
				wantFields(t, "apiKey, locally", got, map[string]any{"identifier": tg.slug("sdk-camel"), "apikey": "k"})
			}},
		{key: "dashed_code", kind: "custom", slug: tg.slug("sdk-dashed"), warning: "Field code is not a Python identifier",
			plain: map[string]string{"api-key": "k"},
			api: func(t *testing.T, got sdkResult) {
				wantRaise(t, "api-key, through the API", got, "TypeError", "Field names must be valid identifiers: 'api-key'")
			},
			local: func(t *testing.T, got sdkResult) {
				wantFields(t, "api-key, locally", got, map[string]any{"identifier": tg.slug("sdk-dashed"), "api_key": "k"})
			}},
		{key: "keyword_locally", kind: "custom", slug: tg.slug("sdk-keyword"), warning: "Field code is not a Python identifier",
			plain: map[string]string{"Class": "c", "other": "o"},
			local: func(t *testing.T, got sdkResult) {
				wantRaise(t, "Class, locally", got, "TypeError", "Field names must not be keywords: 'class'")
			}},
	}

	// A PostgreSQL connection with a field its type does not have, made in the web
	// app; the data source says the SDK cannot read it.
	extra := storedFromSample(connection.KindByName("postgres"), tg.slug("sdk-extra-field"), kindSamples["postgres"].create)
	extra.Name = tg.name("SDK extra field")
	extra.Fields = append(extra.Fields, openhexatest.Field{Code: "sslmode", Value: "require"})
	tg.create(t, extra)

	var config strings.Builder
	fmt.Fprintf(&config, "terraform {\n  required_providers {\n    openhexa = { source = \"blsq/openhexa\" }\n  }\n}\n\n"+
		"provider \"openhexa\" {\n  url       = %q\n  workspace = %q\n}\n\ndata \"openhexa_connection\" \"extra_field\" {\n  slug = %q\n}\n",
		tg.url, tg.workspace, extra.Slug)
	for _, c := range cases {
		config.WriteString(c.hcl(tg))
	}
	tf := newTofuCLI(t, cli, buildProvider(ctx, t, t.TempDir()))
	writeFile(t, filepath.Join(tf.work, "main.tf"), config.String())
	if out, code := tf.run(ctx, tg.editor, "apply", "-auto-approve", "-input=false", "-no-color"); code != 0 {
		t.Fatalf("apply failed (exit %d):\n%s", code, tail(out))
	}

	// The plan warns about each case the SDK then fails on.
	out, code := tf.run(ctx, tg.editor, "plan", "-json", "-input=false")
	if code != 0 {
		t.Fatalf("plan failed (exit %d):\n%s", code, tail(out))
	}
	warnings := strings.Join(planWarnings(out), "\n")
	wanted := []string{"The OpenHEXA SDK cannot read this connection @ data.openhexa_connection.extra_field"}
	for _, c := range cases {
		if c.warning != "" {
			wanted = append(wanted, c.warning+" @ "+c.kindOf().ResourceTypeName()+"."+c.key)
		}
	}
	for _, w := range wanted {
		if !strings.Contains(warnings, w) {
			t.Errorf("the plan does not warn %q; it warns:\n%s", w, warnings)
		}
	}

	outputs := map[string]map[string]string{}
	raw, code := tf.run(ctx, tg.editor, "output", "-json")
	if code != 0 {
		t.Fatalf("output -json failed (exit %d)", code)
	}
	var decoded map[string]struct {
		Value map[string]string `json:"value"`
	}
	if err := json.Unmarshal([]byte(raw), &decoded); err != nil {
		t.Fatalf("output -json: %v", err)
	}
	for name, o := range decoded {
		outputs[strings.TrimPrefix(name, "env_")] = o.Value
	}

	// Through the API, as a pipeline in OpenHEXA reads them.
	reads := []sdkRead{{Key: "extra_field", Call: "postgresql_connection", Identifier: extra.Slug}}
	for _, c := range cases {
		reads = append(reads, sdkRead{Key: c.key, Call: strings.TrimPrefix(slug.SDKCall(string(c.kindOf().APIType)), "workspace."), Identifier: c.slug})
	}
	api := runSDK(ctx, t, python, map[string]string{"HEXA_SERVER_URL": tg.url, "HEXA_TOKEN": tg.admin, "HEXA_WORKSPACE": tg.workspace}, reads)
	wantRaise(t, "an extra field, through the API", api["extra_field"], "TypeError", "unexpected keyword argument 'sslmode'")
	for i, c := range cases {
		t.Run("api/"+c.key, func(t *testing.T) {
			if c.api != nil {
				c.api(t, api[c.key])
				return
			}
			wantFields(t, c.key, api[c.key], c.declared(t))
		})
		// Locally, from the variables of env_vars alone: one process per connection,
		// since a custom connection's prefix may start another's.
		t.Run("local/"+c.key, func(t *testing.T) {
			env, ok := outputs[c.key]
			if !ok {
				t.Fatalf("no output env_%s", c.key)
			}
			got := runSDK(ctx, t, python, env, reads[i+1:i+2])[c.key]
			if c.local != nil {
				c.local(t, got)
				return
			}
			wantFields(t, c.key, got, c.declared(t))
		})
	}
	// Locally, the two twins give the same variables: one hides the other.
	lowerEnv, upperEnv := outputs["twin_lower"], outputs["twin_upper"]
	for name := range lowerEnv {
		if _, ok := upperEnv[name]; !ok || len(lowerEnv) != len(upperEnv) {
			t.Errorf("the twins' variables differ (%s): the warning says they are the same", name)
		}
	}
}
