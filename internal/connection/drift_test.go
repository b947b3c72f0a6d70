package connection_test

import (
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/acctest"
	"github.com/blsq/terraform-provider-openhexa/internal/connection"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
)

// TestAccRepairFieldLayout: when the server holds a secret without its flag, the plan
// shows the update that sets it. An extra code is kept on a built-in type (shown in
// extra_fields); on a custom one it shows in `fields` and, left out of the
// configuration, is deleted as the plan shows.
func TestAccRepairFieldLayout(t *testing.T) {
	for _, kind := range connection.Kinds {
		t.Run(kind.Name, func(t *testing.T) {
			t.Parallel()
			tg := targetFor(t)
			addr := kind.ResourceTypeName() + ".test"
			values := kindSamples[kind.Name].create
			name, slug := tg.name("Layout"), tg.slug("layout")
			config := tg.config(tg.editor, kind, name, slug, "", values)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				CheckDestroy:             tg.empty(t),
				Steps: []resource.TestStep{
					{Config: config},
					{
						PreConfig: func() {
							tg.modify(t, slug, func(c *openhexatest.StoredConnection) {
								for i := range c.Fields {
									if c.Fields[i].Secret {
										c.Fields[i].Secret = false // flag flipped, value unchanged
										break
									}
								}
								c.Fields = append(c.Fields, openhexatest.Field{Code: "legacy_code", Value: "left over"})
							})
						},
						Config: config,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						}},
						Check: tg.holds(t, kind, name, slug, withLegacyCode(kind, values)),
					},
				},
			})
		})
	}
}

// withLegacyCode is what the server holds after TestAccRepairFieldLayout's apply: the
// configured values, and on a built-in type the extra field kept.
func withLegacyCode(kind *connection.Kind, values sample) sample {
	if kind.Custom {
		return values
	}
	out := sample{"legacy_code": "left over"}
	for k, v := range values {
		out[k] = v
	}
	return out
}

// TestAccSecretDriftHiddenFromViewer: a secret changed out of band shows in an
// EDITOR's plan (the lifecycle test proves it) but never in a VIEWER's, who cannot
// read it: the provider keeps what state knows.
func TestAccSecretDriftHiddenFromViewer(t *testing.T) {
	for _, kind := range kindsWithSecrets() {
		t.Run(kind.Name, func(t *testing.T) {
			t.Parallel()
			tg := targetFor(t)
			values := kindSamples[kind.Name].create
			name, slug := tg.name("Drift"), tg.slug("drift")
			editor := tg.config(tg.editor, kind, name, slug, "", values)
			viewer := tg.config(tg.viewer, kind, name, slug, "", values)
			addr := kind.ResourceTypeName() + ".test"
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				CheckDestroy:             tg.empty(t),
				Steps: []resource.TestStep{
					{Config: editor},
					{PreConfig: tg.modifySecrets(t, slug), Config: viewer, PlanOnly: true},
					{
						Config: editor,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						}},
						Check: tg.holds(t, kind, name, slug, values),
					},
				},
			})
		})
	}
}
