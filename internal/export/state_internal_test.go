package export

import (
	"strings"
	"testing"
)

// TestStateKnowsConnectionsByUUID: every instance of a connection resource counts,
// in the root and in modules (instance keys and all), tainted and deposed objects
// too; data sources and other providers' resources name no connection but their
// addresses and modules are known, so the state covers the blocks that made them.
func TestStateKnowsConnectionsByUUID(t *testing.T) {
	src := `{"version": 4, "serial": 3, "lineage": "x", "outputs": {}, "resources": [
 {"mode": "managed", "type": "openhexa_dhis2_connection", "name": "a", "provider": "p",
  "instances": [{"schema_version": 1, "attributes": {"id": "0B9A1C52-6F43-4F8E-9D7A-2C1E5B8F4A10", "password": "s3cret-marker"}}]},
 {"module": "module.conns[\"eu\"].module.inner[0]", "mode": "managed", "type": "openhexa_postgres_connection", "name": "b",
  "instances": [{"index_key": "k", "attributes": {"id": "11111111-1111-4111-8111-111111111111"}, "status": "tainted"},
                {"index_key": "k", "deposed": "00abcdef", "attributes": {"id": "22222222-2222-4222-8222-222222222222"}}]},
 {"mode": "data", "type": "openhexa_connection", "name": "d", "instances": [{"attributes": {"id": "33333333-3333-4333-8333-333333333333"}}]},
 {"module": "module.remote", "mode": "managed", "type": "aws_s3_bucket", "name": "x", "instances": [{"attributes": {"id": "bucket"}}]}
]}`
	view, err := parseState([]byte(src), "the state", "how")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"0b9a1c52-6f43-4f8e-9d7a-2c1e5b8f4a10": "openhexa_dhis2_connection.a",
		"11111111-1111-4111-8111-111111111111": `module.conns["eu"].module.inner[0].openhexa_postgres_connection.b["k"], tainted`,
		"22222222-2222-4222-8222-222222222222": `module.conns["eu"].module.inner[0].openhexa_postgres_connection.b["k"], a deposed object`,
	}
	if len(view.byID) != len(want) {
		t.Errorf("byID = %v", view.byID)
	}
	for id, address := range want {
		if view.byID[id] != address {
			t.Errorf("%s: %q, want %q", id, view.byID[id], address)
		}
	}
	for _, a := range []string{"openhexa_dhis2_connection.a", "module.conns.module.inner.openhexa_postgres_connection.b", "module.remote.aws_s3_bucket.x"} {
		if !view.addresses[a] {
			t.Errorf("address %s unknown: %v", a, view.addresses)
		}
	}
	for _, m := range []string{"module.conns", "module.conns.module.inner", "module.remote"} {
		if !view.modules[m] {
			t.Errorf("module %s unknown: %v", m, view.modules)
		}
	}
	if view.addresses["openhexa_connection.d"] {
		t.Error("a data source counted as managed")
	}
	if !view.covers(undeterminedBlock{modules: []string{"module.remote"}}) || view.covers(undeterminedBlock{modules: []string{"module.other"}}) ||
		view.covers(undeterminedBlock{uncoverable: true}) {
		t.Error("covers")
	}
	if !strings.HasSuffix(view.source, ": 3 connections managed") {
		t.Errorf("source %q", view.source)
	}
}

// TestStateErrorsNeverQuoteTheState: a state that is not JSON, is encrypted, or has
// another format version stops the run with how to give it, and no part of it.
func TestStateErrorsNeverQuoteTheState(t *testing.T) {
	for name, src := range map[string]string{
		"not JSON":  `{"version": 4, "resources": [{"attributes": {"password": "s3cret-marker"` + "\x00",
		"encrypted": `{"serial": 1, "lineage": "x", "meta": {"key_provider.pbkdf2.k": "s3cret-marker"}, "encrypted_data": "s3cret-marker", "encryption_version": "v0"}`,
		"version 3": `{"version": 3, "modules": [{"resources": {"x": {"primary": {"attributes": {"password": "s3cret-marker"}}}}}]}`,
		"not a map": `["s3cret-marker"]`,
	} {
		_, err := parseState([]byte(src), "the state", "Run init.")
		if err == nil {
			t.Errorf("%s: read", name)
			continue
		}
		if strings.Contains(err.Error(), "s3cret") || !strings.Contains(err.Error(), "Run init.") {
			t.Errorf("%s: %v", name, err)
		}
	}
	view, err := parseState([]byte("\n"), "the state", "how")
	if err != nil || len(view.byID) != 0 {
		t.Errorf("an empty state: %v %v", view, err)
	}
}
