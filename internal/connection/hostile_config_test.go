package connection_test

import (
	"fmt"
	"sort"
	"strings"

	"github.com/blsq/terraform-provider-openhexa/internal/connection"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
)

// matchingValues is the configuration a careful user writes for a connection
// OpenHEXA holds, field by field: each code of the type it holds is set to the held
// value (a secret in its sensitive attribute, or its write-only twin when writeOnly);
// a code it lacks is left out; other codes are not configurable on a built-in type
// (the provider keeps them). A custom connection's fields go to its maps.
func matchingValues(kind *connection.Kind, stored openhexatest.StoredConnection, writeOnly bool) sample {
	out := sample{"name": stored.Name, "slug": stored.Slug}
	if stored.Description != "" {
		out["description"] = stored.Description
	}
	if kind.Custom {
		plain, secret := map[string]string{}, map[string]string{}
		for _, f := range stored.Fields {
			if f.Secret {
				secret[f.Code] = f.Value
			} else {
				plain[f.Code] = f.Value
			}
		}
		if len(plain) > 0 {
			out["fields"] = plain
		}
		if len(secret) > 0 {
			if writeOnly {
				out["secret_fields_wo"] = secret
			} else {
				out["secret_fields"] = secret
			}
		}
		return out
	}
	for _, spec := range kind.Fields {
		for _, f := range stored.Fields {
			if f.Code != spec.Code {
				continue
			}
			switch {
			case spec.Secret && writeOnly:
				out[spec.WriteOnlyAttribute()] = f.Value
			default:
				out[spec.Code] = f.Value
			}
		}
	}
	return out
}

// sameFields reports how the fields of two snapshots differ (code, value, secret
// flag, in any order), "" when they hold the same; except lists codes whose secret
// flag may differ (an announced repair).
func sameFields(before, after openhexatest.StoredConnection, except ...string) string {
	index := func(c openhexatest.StoredConnection) map[string]openhexatest.Field {
		m := map[string]openhexatest.Field{}
		for _, f := range c.Fields {
			m[f.Code] = f
		}
		return m
	}
	b, a := index(before), index(after)
	var problems []string
	for code, f := range b {
		g, ok := a[code]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("%q deleted", code))
		case g.Value != f.Value:
			problems = append(problems, fmt.Sprintf("%q changed value", code))
		case g.Secret != f.Secret && !contains(except, code):
			problems = append(problems, fmt.Sprintf("%q changed secret flag", code))
		}
	}
	for code := range a {
		if _, ok := b[code]; !ok {
			problems = append(problems, fmt.Sprintf("%q added", code))
		}
	}
	if before.Name != after.Name || before.Slug != after.Slug || before.Description != after.Description {
		problems = append(problems, "name, slug or description changed")
	}
	sort.Strings(problems)
	return strings.Join(problems, "; ")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
