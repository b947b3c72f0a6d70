package functions_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/functions"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// runEnvVars calls env_vars without a CLI.
func runEnvVars(t *testing.T, identifier, typ string, fields map[string]string) (map[string]string, *function.FuncError) {
	t.Helper()
	values := map[string]attr.Value{}
	for code, v := range fields {
		values[code] = types.StringValue(v)
	}
	m, diags := types.MapValue(types.StringType, values)
	if diags.HasError() {
		t.Fatal(diags)
	}
	resp := &function.RunResponse{Result: function.NewResultData(types.MapUnknown(types.StringType))}
	functions.NewEnvVarsFunction().Run(context.Background(), function.RunRequest{Arguments: function.NewArgumentsData(
		[]attr.Value{types.StringValue(identifier), types.StringValue(typ), m})}, resp)
	if resp.Error != nil {
		return nil, resp.Error
	}
	result, ok := resp.Result.Value().(types.Map)
	if !ok {
		t.Fatalf("result is %T, not a map", resp.Result.Value())
	}
	var out map[string]string
	if d := result.ElementsAs(context.Background(), &out, false); d.HasError() {
		t.Fatal(d)
	}
	return out, nil
}

// TestEnvVarNamesAreThePlatforms holds each field's variable to OpenHEXA's own rule
// (ConnectionField.env_key: constcase(f"{slug}_{code}".lower())) and the prefix to the
// SDK's (constcase(identifier.lower())). The rows were printed, as they are, by that rule
// with PyPI stringcase 1.2.0 (the version upstream pins):
//
//	python3 -m venv /tmp/v && /tmp/v/bin/pip install stringcase==1.2.0 && /tmp/v/bin/python -c '
//	import stringcase, json; c = lambda s: stringcase.constcase(s.lower())
//	for s, k in [("my-dhis2","url"), ("my-api","api-version"), ("my-api","api_version"), ("My_API","API-Key"), ("db-2","2fa"), ("db-2","db_name"), ("x","a--b"), ("x","_lead"), ("x","trail-"), ("Warehouse-01","Port"), ("a.b","C.d"), ("s3_bucket-eu","access_key_secret"), ("UPPER","MiXeD-Case_9"), ("db.main v2","x")]: print(json.dumps([s, k, c(s), c(f"{s}_{k}")])[1:-1])'
func TestEnvVarNamesAreThePlatforms(t *testing.T) {
	for _, row := range []struct{ slug, code, prefix, want string }{
		{"my-dhis2", "url", "MY_DHIS2", "MY_DHIS2_URL"},
		{"my-api", "api-version", "MY_API", "MY_API_API_VERSION"},
		{"my-api", "api_version", "MY_API", "MY_API_API_VERSION"},
		{"My_API", "API-Key", "MY_API", "MY_API_API_KEY"},
		{"db-2", "2fa", "DB_2", "DB_2_2FA"},
		{"db-2", "db_name", "DB_2", "DB_2_DB_NAME"},
		{"x", "a--b", "X", "X_A__B"},
		{"x", "_lead", "X", "X__LEAD"},
		{"x", "trail-", "X", "X_TRAIL_"},
		{"Warehouse-01", "Port", "WAREHOUSE_01", "WAREHOUSE_01_PORT"},
		{"a.b", "C.d", "A_B", "A_B_C_D"},
		{"s3_bucket-eu", "access_key_secret", "S3_BUCKET_EU", "S3_BUCKET_EU_ACCESS_KEY_SECRET"},
		{"UPPER", "MiXeD-Case_9", "UPPER", "UPPER_MIXED_CASE_9"},
		{"db.main v2", "x", "DB_MAIN_V2", "DB_MAIN_V2_X"},
	} {
		got, err := runEnvVars(t, row.slug, "custom", map[string]string{row.code: "v"})
		if err != nil {
			t.Errorf("env_vars(%q, custom, {%q}): %s", row.slug, row.code, err.Text)
			continue
		}
		want := map[string]string{row.prefix: "custom", row.want: "v"}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("env_vars(%q, custom, {%q}) = %v, want %v", row.slug, row.code, got, want)
		}
	}
}

// TestEnvVarsOfEveryType holds the whole environment of each type to upstream's
// Connection.env_variables (each field's variable, then the compatibility names, which win
// over a field of the same name as its env.update does) plus the SDK's <PREFIX>. The want
// column was printed by this transcription of that property, with the venv above:
//
//	/tmp/v/bin/python - <<'PY'
//	import stringcase, json; c = lambda s: stringcase.constcase(s.lower())
//	def env(slug, typ, f):
//	    e = {c(f"{slug}_{k}"): v for k, v in f.items()}
//	    if typ in ("IASO", "DHIS2"): e[c(f"{slug}_api_url")] = f["url"]
//	    if typ == "POSTGRESQL":
//	        e[c(f"{slug}_url")] = f"postgresql://{f['username']}:{f['password']}@{f['host']}:{f['port']}/{f['db_name']}"
//	        e[c(f"{slug}_database")] = f["db_name"]
//	    e[c(slug)] = typ.lower()
//	    return e
//	for row in [("Warehouse-01", "POSTGRESQL", {"host": "db", "port": "5432", "db_name": "dw", "username": "u", "password": "p@ss:w/rd", "url": "shadowed", "ssl-mode": "require"}),
//	            ("my-dhis2", "DHIS2", {"url": "https://play", "username": "admin", "password": "district", "api_url": "shadowed"}),
//	            ("iaso_2", "IASO", {"url": "https://iaso", "username": "u", "password": "p"}),
//	            ("s3-eu", "S3", {"bucket_name": "b", "access_key_id": "AK", "access_key_secret": "SK"}),
//	            ("gcs", "GCS", {"bucket_name": "b", "service_account_key": "{}"}),
//	            ("my-api", "CUSTOM", {"api-version": "2", "Base_URL": "https://x"})]:
//	    print(json.dumps(env(*row)))
//	PY
func TestEnvVarsOfEveryType(t *testing.T) {
	for _, row := range []struct {
		slug, typ string
		fields    map[string]string
		want      map[string]string
	}{
		{"Warehouse-01", "POSTGRESQL",
			map[string]string{"host": "db", "port": "5432", "db_name": "dw", "username": "u", "password": "p@ss:w/rd", "url": "shadowed", "ssl-mode": "require"},
			map[string]string{"WAREHOUSE_01_HOST": "db", "WAREHOUSE_01_PORT": "5432", "WAREHOUSE_01_DB_NAME": "dw", "WAREHOUSE_01_USERNAME": "u", "WAREHOUSE_01_PASSWORD": "p@ss:w/rd", "WAREHOUSE_01_URL": "postgresql://u:p@ss:w/rd@db:5432/dw", "WAREHOUSE_01_SSL_MODE": "require", "WAREHOUSE_01_DATABASE": "dw", "WAREHOUSE_01": "postgresql"}},
		{"my-dhis2", "DHIS2",
			map[string]string{"url": "https://play", "username": "admin", "password": "district", "api_url": "shadowed"},
			map[string]string{"MY_DHIS2_URL": "https://play", "MY_DHIS2_USERNAME": "admin", "MY_DHIS2_PASSWORD": "district", "MY_DHIS2_API_URL": "https://play", "MY_DHIS2": "dhis2"}},
		{"iaso_2", "IASO",
			map[string]string{"url": "https://iaso", "username": "u", "password": "p"},
			map[string]string{"IASO_2_URL": "https://iaso", "IASO_2_USERNAME": "u", "IASO_2_PASSWORD": "p", "IASO_2_API_URL": "https://iaso", "IASO_2": "iaso"}},
		{"s3-eu", "S3",
			map[string]string{"bucket_name": "b", "access_key_id": "AK", "access_key_secret": "SK"},
			map[string]string{"S3_EU_BUCKET_NAME": "b", "S3_EU_ACCESS_KEY_ID": "AK", "S3_EU_ACCESS_KEY_SECRET": "SK", "S3_EU": "s3"}},
		{"gcs", "GCS",
			map[string]string{"bucket_name": "b", "service_account_key": "{}"},
			map[string]string{"GCS_BUCKET_NAME": "b", "GCS_SERVICE_ACCOUNT_KEY": "{}", "GCS": "gcs"}},
		{"my-api", "CUSTOM",
			map[string]string{"api-version": "2", "Base_URL": "https://x"},
			map[string]string{"MY_API_API_VERSION": "2", "MY_API_BASE_URL": "https://x", "MY_API": "custom"}},
	} {
		got, err := runEnvVars(t, row.slug, row.typ, row.fields)
		if err != nil {
			t.Errorf("env_vars(%q, %s): %s", row.slug, row.typ, err.Text)
			continue
		}
		if fmt.Sprint(got) != fmt.Sprint(row.want) {
			t.Errorf("env_vars(%q, %s) =\n%v\nwant\n%v", row.slug, row.typ, got, row.want)
		}
	}
}

// TestEnvVarsRefusesWhatThePlatformCannotSet: two codes on one variable, and the fields
// upstream's compatibility names are built from.
func TestEnvVarsRefusesWhatThePlatformCannotSet(t *testing.T) {
	for _, row := range []struct {
		typ    string
		fields map[string]string
		want   []string
	}{
		{"custom", map[string]string{"api-key": "1", "api_key": "2"}, []string{`"api-key"`, `"api_key"`, "X_API_KEY"}},
		{"custom", map[string]string{"Token": "1", "token": "2"}, []string{`"Token"`, `"token"`, "X_TOKEN"}},
		{"custom", map[string]string{"a.b": "1", "a-b": "2"}, []string{`"a-b"`, `"a.b"`, "X_A_B"}},
		{"postgresql", map[string]string{"host": "h", "port": "1", "db_name": "d"}, []string{"username, password"}},
		{"dhis2", map[string]string{"username": "u"}, []string{"lack url"}},
		{"iaso", map[string]string{}, []string{"lack url"}},
	} {
		_, err := runEnvVars(t, "x", row.typ, row.fields)
		if err == nil || err.FunctionArgument == nil || *err.FunctionArgument != 2 {
			t.Errorf("env_vars(x, %s, %v): %v, want an error on the fields argument", row.typ, row.fields, err)
			continue
		}
		for _, w := range row.want {
			if !strings.Contains(err.Text, w) {
				t.Errorf("env_vars(x, %s, %v): %q does not say %q", row.typ, row.fields, err.Text, w)
			}
		}
	}
}
