package connection_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/connection"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
)

// sample is a set of attribute values for one kind: string, int64 or map[string]string.
type sample map[string]any

// kindSamples gives, per kind, the values a test creates a connection with and the
// values it then updates every attribute to. Adding a kind adds a row here; the
// tests need nothing else.
var kindSamples = map[string]struct{ create, update sample }{
	"postgres": {
		create: sample{"host": "db.example.org", "port": "5432", "db_name": "malaria", "username": "reader", "password": "pg-secret-1"},
		update: sample{"host": "db2.example.org", "port": "6543", "db_name": "malaria_v2", "username": "writer", "password": "pg-secret-2"},
	},
	"dhis2": {
		create: sample{"url": "https://play.dhis2.org/40", "username": "admin", "password": "dhis2-secret-1"},
		update: sample{"url": "https://dhis2.example.org", "username": "etl", "password": "dhis2-secret-2"},
	},
	"iaso": {
		create: sample{"url": "https://iaso.example.org", "username": "admin", "password": "iaso-secret-1"},
		update: sample{"url": "https://iaso2.example.org", "username": "etl", "password": "iaso-secret-2"},
	},
	"s3": {
		create: sample{"bucket_name": "malaria-data", "access_key_id": "AKIAEXAMPLE1", "access_key_secret": "s3-secret-1"},
		update: sample{"bucket_name": "malaria-data-v2", "access_key_id": "AKIAEXAMPLE2", "access_key_secret": "s3-secret-2"},
	},
	"gcs": {
		create: sample{"bucket_name": "malaria-gcs", "service_account_key": serviceAccountKey("one")},
		update: sample{"bucket_name": "malaria-gcs-2", "service_account_key": serviceAccountKey("two")},
	},
	"custom": {
		create: sample{
			"fields":        map[string]string{"api_url": "https://api.example.org", "region": "north"},
			"secret_fields": map[string]string{"api_key": "custom-secret-1"},
		},
		update: sample{
			"fields":        map[string]string{"api_url": "https://api2.example.org"},
			"secret_fields": map[string]string{"api_key": "custom-secret-2", "api_secret": "custom-secret-3"},
		},
	},
}

func serviceAccountKey(tag string) string {
	return fmt.Sprintf(`{"type":"service_account","client_email":"etl-%s@project.iam.gserviceaccount.com","private_key":"-----BEGIN PRIVATE KEY-----\nkey-%s\n-----END PRIVATE KEY-----\n"}`, tag, tag)
}

// hcl renders the sample as attribute lines.
func (s sample) hcl() string {
	var lines []string
	for _, name := range s.names() {
		lines = append(lines, fmt.Sprintf("  %s = %s", name, hclValue(s[name])))
	}
	return strings.Join(lines, "\n")
}

// stringMap returns the map value of an attribute of the sample.
func (s sample) stringMap(name string) map[string]string {
	return sampleValue[map[string]string](name, s[name])
}

// sampleValue returns v, the value of the sample attribute name, as a T. Like the
// other sample helpers, it panics on a value of another type: the table is wrong.
func sampleValue[T any](name string, v any) T {
	t, ok := v.(T)
	if !ok {
		panic(fmt.Sprintf("sample value %s is %T, not %T", name, v, t))
	}
	return t
}

func (s sample) names() []string {
	names := make([]string, 0, len(s))
	for name := range s {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

func hclValue(v any) string {
	switch v := v.(type) {
	case string:
		return fmt.Sprintf("%q", v)
	case int64:
		return fmt.Sprintf("%d", v)
	case bool:
		return fmt.Sprintf("%t", v)
	case map[string]string:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var parts []string
		for _, k := range keys {
			parts = append(parts, fmt.Sprintf("%q = %q", k, v[k]))
		}
		return "{ " + strings.Join(parts, ", ") + " }"
	}
	panic(fmt.Sprintf("unsupported sample value %T", v))
}

func knownValue(v any) knownvalue.Check {
	switch v := v.(type) {
	case string:
		return knownvalue.StringExact(v)
	case int64:
		return knownvalue.Int64Exact(v)
	case bool:
		return knownvalue.Bool(v)
	case map[string]string:
		m := map[string]knownvalue.Check{}
		for k, e := range v {
			m[k] = knownvalue.StringExact(e)
		}
		return knownvalue.MapExact(m)
	}
	panic(fmt.Sprintf("unsupported sample value %T", v))
}

// wireValues flattens a sample into the field values the server must hold.
func (s sample) wireValues() map[string]string {
	out := map[string]string{}
	for name, v := range s {
		switch v := v.(type) {
		case string:
			out[name] = v
		case int64:
			out[name] = fmt.Sprintf("%d", v)
		case map[string]string:
			for k, e := range v {
				out[k] = e
			}
		}
	}
	return out
}

// storedFromSample puts a connection of the kind on the server, as the web app would.
func storedFromSample(kind *connection.Kind, slug string, s sample) openhexatest.StoredConnection {
	c := openhexatest.StoredConnection{Workspace: openhexatest.WorkspaceMain, Name: "Existing", Slug: slug, Type: string(kind.APIType)}
	if kind.Custom {
		for code, v := range s.stringMap("fields") {
			c.Fields = append(c.Fields, openhexatest.Field{Code: code, Value: v})
		}
		for code, v := range s.stringMap("secret_fields") {
			c.Fields = append(c.Fields, openhexatest.Field{Code: code, Value: v, Secret: true})
		}
		return c
	}
	values := s.wireValues()
	for _, f := range kind.Fields {
		v, ok := values[f.Code]
		if !ok {
			v = f.Default
		}
		c.Fields = append(c.Fields, openhexatest.Field{Code: f.Code, Value: v, Secret: f.Secret})
	}
	return c
}

// existing puts a connection of the kind on the target out of band, as the web app
// would, named tg.name("Existing") under tg.slug(slug).
func (tg *target) existing(t *testing.T, kind *connection.Kind, slug string, s sample) openhexatest.StoredConnection {
	t.Helper()
	c := storedFromSample(kind, tg.slug(slug), s)
	c.Name = tg.name("Existing")
	return tg.create(t, c)
}

// kindsWithSecrets lists the kinds that have a secret field (or free secret fields).
func kindsWithSecrets() []*connection.Kind {
	var out []*connection.Kind
	for _, k := range connection.Kinds {
		if k.Custom {
			out = append(out, k)
			continue
		}
		for _, f := range k.Fields {
			if f.Secret {
				out = append(out, k)
				break
			}
		}
	}
	return out
}
