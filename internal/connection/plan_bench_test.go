package connection_test

import (
	"context"
	"github.com/blsq/terraform-provider-openhexa/internal/connection"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// BenchmarkPlanUnchangedConnection measures the provider's own cost of planning one
// unchanged connection (validate + plan), what `plan -refresh=false` pays per
// resource, with:
//
//	go test -run '^$' -bench PlanUnchanged -benchmem ./internal/connection
func BenchmarkPlanUnchangedConnection(b *testing.B) {
	srv := openhexatest.Start(b)
	h := newHarness(b, srv, openhexatest.TokenEditor)
	typeName := "openhexa_postgres_connection"
	typ := h.schemas.ResourceSchemas[typeName].ValueType()
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	config := map[string]any{
		"name": str("Bench"), "slug": str("bench"), "host": str("db.example.org"), "db_name": str("malaria"),
		"username": str("reader"), "password": str("secret"),
	}
	state := map[string]any{
		"id": str("0b0f6d2e-8e0b-4a57-9f43-1d2f3c4b5a69"), "workspace": str(openhexatest.WorkspaceMain),
		"name": str("Bench"), "slug": str("bench"), "description": str(""), "updated_at": str("2026-11-26T00:00:00+00:00"),
		"host": str("db.example.org"), "port": str("5432"), "db_name": str("malaria"),
		"username": str("reader"), "password": str("secret"),
	}
	cfg := dynamicValue(b, typ, config)
	prior := dynamicValue(b, typ, state)
	ctx := context.Background()
	b.ResetTimer()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		v, err := h.server.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: typeName, Config: cfg})
		if err != nil || hasError(v.Diagnostics) {
			b.Fatalf("validate: %v %v", err, diagText(v.Diagnostics))
		}
		p, err := h.server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
			TypeName: typeName, Config: cfg, PriorState: prior, ProposedNewState: prior,
		})
		if err != nil || hasError(p.Diagnostics) {
			b.Fatalf("plan: %v %v", err, diagText(p.Diagnostics))
		}
	}
}

// BenchmarkReadConnection measures the provider's own cost of refreshing one
// connection once the workspace listing is cached (what each of N reads pays).
func BenchmarkReadConnection(b *testing.B) {
	srv := openhexatest.Start(b)
	kind := connection.KindByName("postgres")
	stored := srv.CreateStored(storedFromSample(kind, "bench", kindSamples[kind.Name].create))
	h := newHarness(b, srv, openhexatest.TokenEditor)
	typeName := kind.ResourceTypeName()
	typ := h.schemas.ResourceSchemas[typeName].ValueType()
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	prior := dynamicValue(b, typ, map[string]any{
		"id": str(stored.ID), "workspace": str(openhexatest.WorkspaceMain), "name": str("Existing"), "slug": str("bench"),
		"description": str(""), "host": str("db.example.org"), "port": str("5432"),
		"db_name": str("malaria"), "username": str("reader"), "password": str("pg-secret-1"),
	})
	ctx := context.Background()
	b.ResetTimer()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		r, err := h.server.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: typeName, CurrentState: prior})
		if err != nil || hasError(r.Diagnostics) {
			b.Fatalf("read: %v %v", err, diagText(r.Diagnostics))
		}
	}
}
