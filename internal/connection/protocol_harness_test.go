package connection_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"sort"
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
	"github.com/blsq/terraform-provider-openhexa/internal/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// This file is the one protocol-level harness of the package: it serves the provider
// over tfprotov6 to the test itself, as a CLI would, against the in-process test
// server. No CLI and no TF_ACC: the engine's logic is tested here in seconds.

// protocolServer is the provider server with list resources, which the deprecated
// tfprotov6.ProviderServerWithListResource names.
type protocolServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
}

// harness is one configured provider, as one CLI run holds it: its client answers the
// reads of a run from one listing of the workspace, so a test that models a later
// run (a refresh after changes made elsewhere) starts a new harness.
type harness struct {
	t        testing.TB
	server   protocolServer
	schemas  *tfprotov6.GetProviderSchemaResponse
	identity *tfprotov6.GetResourceIdentitySchemasResponse
}

// unknown stands for a value known only after apply, in configurations given to the harness.
var unknown = tftypes.NewValue(tftypes.DynamicPseudoType, tftypes.UnknownValue)

// newHarness configures the provider with the test server's URL, token and the main
// workspace as default.
func newHarness(t testing.TB, srv *openhexatest.Server, token string) *harness {
	t.Helper()
	return newHarnessConfig(t, map[string]any{"url": srv.URL(), "token": token, "workspace": openhexatest.WorkspaceMain})
}

// newHarnessConfig configures the provider with this provider block; it fails the
// test when ConfigureProvider does.
func newHarnessConfig(t testing.TB, providerConfig map[string]any) *harness {
	t.Helper()
	h := newUnconfiguredHarness(t)
	if diags := h.configure(providerConfig); hasError(diags) {
		t.Fatalf("ConfigureProvider: %s", diagText(diags))
	}
	return h
}

// newUnconfiguredHarness serves the provider and reads its schemas, without
// ConfigureProvider (what the CLI does when it validates).
func newUnconfiguredHarness(t testing.TB) *harness {
	t.Helper()
	ctx := context.Background()
	plain, err := providerserver.NewProtocol6WithError(provider.New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	server, ok := plain.(protocolServer)
	if !ok {
		t.Fatalf("the provider server (%T) does not serve list resources", plain)
	}
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || hasError(schemas.Diagnostics) {
		t.Fatalf("GetProviderSchema: %v %v", err, diagText(schemas.Diagnostics))
	}
	identity, err := server.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil || hasError(identity.Diagnostics) {
		t.Fatalf("GetResourceIdentitySchemas: %v %v", err, diagText(identity.Diagnostics))
	}
	return &harness{t: t, server: server, schemas: schemas, identity: identity}
}

// configure runs ValidateProviderConfig then ConfigureProvider, as the CLI does.
func (h *harness) configure(providerConfig map[string]any) []*tfprotov6.Diagnostic {
	h.t.Helper()
	ctx := context.Background()
	config := dynamicValue(h.t, h.schemas.Provider.ValueType(), providerConfig)
	validated, err := h.server.ValidateProviderConfig(ctx, &tfprotov6.ValidateProviderConfigRequest{Config: config})
	if err != nil {
		h.t.Fatalf("ValidateProviderConfig: %v", err)
	}
	if hasError(validated.Diagnostics) {
		return validated.Diagnostics
	}
	configured, err := h.server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.14.0", Config: config})
	if err != nil {
		h.t.Fatalf("ConfigureProvider: %v", err)
	}
	return append(validated.Diagnostics, configured.Diagnostics...)
}

func (h *harness) resourceSchema(typeName string) *tfprotov6.Schema {
	h.t.Helper()
	s, ok := h.schemas.ResourceSchemas[typeName]
	if !ok {
		h.t.Fatalf("no resource %s", typeName)
	}
	return s
}

// instance is one resource instance as the CLI keeps it between calls. State is
// null when the resource is absent (destroyed, or removed by a read).
type instance struct {
	TypeName string
	State    tftypes.Value
	Private  []byte
	Identity *tfprotov6.ResourceIdentityData
}

// attrs decodes the instance's state; nil when it is null.
func (i *instance) attrs(t testing.TB) map[string]tftypes.Value {
	t.Helper()
	if i == nil || i.State.IsNull() {
		return nil
	}
	var m map[string]tftypes.Value
	if err := i.State.As(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

// get returns a state attribute as a Go value (see goValue).
func (i *instance) get(t testing.TB, name string) any {
	t.Helper()
	v, ok := i.attrs(t)[name]
	if !ok {
		t.Fatalf("%s has no attribute %q in state", i.TypeName, name)
	}
	return goValue(t, v)
}

// str returns a string state attribute, "<null>" when null.
func (i *instance) str(t testing.TB, name string) string {
	t.Helper()
	return str(t, i.attrs(t)[name])
}

// identityAttrs decodes the instance's identity.
func (h *harness) identityAttrs(i *instance) map[string]string {
	h.t.Helper()
	if i.Identity == nil || i.Identity.IdentityData == nil {
		h.t.Fatalf("%s has no identity", i.TypeName)
	}
	out := map[string]string{}
	for k, v := range decodeObject(h.t, i.Identity.IdentityData, h.identity.IdentitySchemas[i.TypeName].ValueType()) {
		out[k] = str(h.t, v)
	}
	return out
}

// validate runs ValidateResourceConfig with a client that allows write-only attributes.
func (h *harness) validate(typeName string, config map[string]any) []*tfprotov6.Diagnostic {
	h.t.Helper()
	resp, err := h.server.ValidateResourceConfig(context.Background(), &tfprotov6.ValidateResourceConfigRequest{
		TypeName: typeName, Config: dynamicValue(h.t, h.resourceSchema(typeName).ValueType(), config),
		ClientCapabilities: &tfprotov6.ValidateResourceConfigClientCapabilities{WriteOnlyAttributesAllowed: true},
	})
	if err != nil {
		h.t.Fatalf("ValidateResourceConfig: %v", err)
	}
	return resp.Diagnostics
}

// change is a planned change of one instance, ready to apply.
type change struct {
	prior  *instance
	config tftypes.Value // null when destroying
	resp   *tfprotov6.PlanResourceChangeResponse
	// Diagnostics of validation and planning.
	Diagnostics []*tfprotov6.Diagnostic
}

// planned decodes the planned state (nil for a destroy or a failed plan).
func (c *change) planned(t testing.TB) map[string]tftypes.Value {
	t.Helper()
	if c.resp == nil || c.resp.PlannedState == nil {
		return nil
	}
	v, err := c.resp.PlannedState.Unmarshal(c.prior.State.Type())
	if err != nil {
		t.Fatal(err)
	}
	if v.IsNull() {
		return nil
	}
	var m map[string]tftypes.Value
	if err := v.As(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

// requiresReplace lists the attribute paths the plan says force a replacement.
func (c *change) requiresReplace() []string {
	var out []string
	if c.resp != nil {
		for _, p := range c.resp.RequiresReplace {
			out = append(out, attrPath(p))
		}
	}
	return out
}

// plan validates config and plans the change from prior (nil: create) to it, the way
// the CLI does: the proposed new state takes configured values, and for computed
// attributes left out of the configuration the prior value (null on create).
func (h *harness) plan(typeName string, prior *instance, config map[string]any) *change {
	h.t.Helper()
	schema := h.resourceSchema(typeName)
	typ := schema.ValueType()
	if prior == nil {
		prior = &instance{TypeName: typeName, State: tftypes.NewValue(typ, nil)}
	}
	c := &change{prior: prior, config: objectValue(h.t, typ, config)}
	c.Diagnostics = h.validate(typeName, config)
	if hasError(c.Diagnostics) {
		return c
	}
	proposed := proposedNew(h.t, schema, prior.State, c.config)
	resp, err := h.server.PlanResourceChange(context.Background(), &tfprotov6.PlanResourceChangeRequest{
		TypeName: typeName, PriorState: toDynamic(h.t, prior.State), ProposedNewState: toDynamic(h.t, proposed),
		Config: toDynamic(h.t, c.config), PriorPrivate: prior.Private, PriorIdentity: prior.Identity,
	})
	if err != nil {
		h.t.Fatalf("PlanResourceChange: %v", err)
	}
	c.resp = resp
	c.Diagnostics = append(c.Diagnostics, resp.Diagnostics...)
	if !hasError(resp.Diagnostics) {
		h.checkPlanned(schema, c)
	}
	return c
}

// checkPlanned makes the CLI's checks of a plan: a value the user configured is
// planned as configured, and write-only values never appear.
func (h *harness) checkPlanned(schema *tfprotov6.Schema, c *change) {
	h.t.Helper()
	planned := c.planned(h.t)
	var config map[string]tftypes.Value
	if err := c.config.As(&config); err != nil {
		h.t.Fatal(err)
	}
	for _, a := range schema.Block.Attributes {
		got := planned[a.Name]
		switch {
		case a.WriteOnly && !got.IsNull():
			h.t.Errorf("plan of %s: write-only %s is not null", c.prior.TypeName, a.Name)
		case !a.WriteOnly && !config[a.Name].IsNull() && !got.Equal(config[a.Name]):
			h.t.Errorf("plan of %s: %s planned as %v, configured as %v", c.prior.TypeName, a.Name, got, config[a.Name])
		}
	}
}

// apply applies a planned change and returns the instance as the CLI then holds it;
// on failure the instance holds whatever state the provider returned. Like the CLI,
// it calls no provider for a plan without change (planned state equal to prior).
func (h *harness) apply(c *change) (*instance, []*tfprotov6.Diagnostic) {
	h.t.Helper()
	if hasError(c.Diagnostics) {
		h.t.Fatalf("apply of a plan that failed: %s", diagText(c.Diagnostics))
	}
	if !c.prior.State.IsNull() && h.decodeState(c.prior.TypeName, c.resp.PlannedState).Equal(c.prior.State) {
		return c.prior, nil
	}
	resp, err := h.server.ApplyResourceChange(context.Background(), &tfprotov6.ApplyResourceChangeRequest{
		TypeName: c.prior.TypeName, PriorState: toDynamic(h.t, c.prior.State), PlannedState: c.resp.PlannedState,
		Config: toDynamic(h.t, c.config), PlannedPrivate: c.resp.PlannedPrivate, PlannedIdentity: c.resp.PlannedIdentity,
	})
	if err != nil {
		h.t.Fatalf("ApplyResourceChange: %v", err)
	}
	next := &instance{TypeName: c.prior.TypeName, State: h.decodeState(c.prior.TypeName, resp.NewState),
		Private: resp.Private, Identity: resp.NewIdentity}
	if !hasError(resp.Diagnostics) {
		h.checkApplied(c, next)
	}
	return next, resp.Diagnostics
}

// checkApplied makes the CLI's check after an apply: every value known in the plan
// is the one in the new state, and write-only values never appear.
func (h *harness) checkApplied(c *change, next *instance) {
	h.t.Helper()
	planned := c.planned(h.t)
	got := next.attrs(h.t)
	for _, a := range h.resourceSchema(c.prior.TypeName).Block.Attributes {
		switch {
		case a.WriteOnly && got[a.Name].IsKnown() && !got[a.Name].IsNull():
			h.t.Errorf("apply of %s: write-only %s is in state", c.prior.TypeName, a.Name)
		case planned[a.Name].IsFullyKnown() && !planned[a.Name].Equal(got[a.Name]):
			h.t.Errorf("apply of %s: inconsistent result: %s planned %v, applied %v", c.prior.TypeName, a.Name, planned[a.Name], got[a.Name])
		}
		if !got[a.Name].IsFullyKnown() {
			h.t.Errorf("apply of %s: %s is unknown in the new state", c.prior.TypeName, a.Name)
		}
	}
}

// tryCreate plans and applies a new instance of typeName.
func (h *harness) tryCreate(typeName string, config map[string]any) (*instance, []*tfprotov6.Diagnostic) {
	h.t.Helper()
	c := h.plan(typeName, nil, config)
	if hasError(c.Diagnostics) {
		return nil, c.Diagnostics
	}
	next, diags := h.apply(c)
	return next, append(c.Diagnostics, diags...)
}

// create is tryCreate that fails the test on an error.
func (h *harness) create(typeName string, config map[string]any) *instance {
	h.t.Helper()
	inst, diags := h.tryCreate(typeName, config)
	if hasError(diags) {
		h.t.Fatalf("create %s: %s", typeName, diagText(diags))
	}
	return inst
}

// tryUpdate plans and applies config over prior (without refreshing it first).
func (h *harness) tryUpdate(prior *instance, config map[string]any) (*instance, []*tfprotov6.Diagnostic) {
	h.t.Helper()
	c := h.plan(prior.TypeName, prior, config)
	if hasError(c.Diagnostics) {
		return prior, c.Diagnostics
	}
	next, diags := h.apply(c)
	return next, append(c.Diagnostics, diags...)
}

// update is tryUpdate that fails the test on an error.
func (h *harness) update(prior *instance, config map[string]any) *instance {
	h.t.Helper()
	next, diags := h.tryUpdate(prior, config)
	if hasError(diags) {
		h.t.Fatalf("update %s: %s", prior.TypeName, diagText(diags))
	}
	return next
}

// tryRead refreshes the instance, private state and identity round-tripped.
func (h *harness) tryRead(current *instance) (*instance, []*tfprotov6.Diagnostic) {
	h.t.Helper()
	resp, err := h.server.ReadResource(context.Background(), &tfprotov6.ReadResourceRequest{
		TypeName: current.TypeName, CurrentState: toDynamic(h.t, current.State), Private: current.Private,
		CurrentIdentity: current.Identity,
	})
	if err != nil {
		h.t.Fatalf("ReadResource: %v", err)
	}
	return &instance{TypeName: current.TypeName, State: h.decodeState(current.TypeName, resp.NewState),
		Private: resp.Private, Identity: resp.NewIdentity}, resp.Diagnostics
}

// read is tryRead that fails the test on an error.
func (h *harness) read(current *instance) *instance {
	h.t.Helper()
	next, diags := h.tryRead(current)
	if hasError(diags) {
		h.t.Fatalf("read %s: %s", current.TypeName, diagText(diags))
	}
	return next
}

// tryDestroy plans and applies the instance's destruction, as the CLI does: a null
// proposed state and configuration, then a null planned state.
func (h *harness) tryDestroy(current *instance) []*tfprotov6.Diagnostic {
	h.t.Helper()
	ctx := context.Background()
	null := tftypes.NewValue(current.State.Type(), nil)
	plan, err := h.server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
		TypeName: current.TypeName, PriorState: toDynamic(h.t, current.State), ProposedNewState: toDynamic(h.t, null),
		Config: toDynamic(h.t, null), PriorPrivate: current.Private, PriorIdentity: current.Identity,
	})
	if err != nil {
		h.t.Fatalf("PlanResourceChange: %v", err)
	}
	if hasError(plan.Diagnostics) {
		return plan.Diagnostics
	}
	resp, err := h.server.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
		TypeName: current.TypeName, PriorState: toDynamic(h.t, current.State), PlannedState: plan.PlannedState,
		Config: toDynamic(h.t, null), PlannedPrivate: plan.PlannedPrivate, PlannedIdentity: plan.PlannedIdentity,
	})
	if err != nil {
		h.t.Fatalf("ApplyResourceChange: %v", err)
	}
	if !hasError(resp.Diagnostics) && !h.decodeState(current.TypeName, resp.NewState).IsNull() {
		h.t.Errorf("destroy of %s left a state", current.TypeName)
	}
	return append(plan.Diagnostics, resp.Diagnostics...)
}

// destroy is tryDestroy that fails the test on an error.
func (h *harness) destroy(current *instance) {
	h.t.Helper()
	if diags := h.tryDestroy(current); hasError(diags) {
		h.t.Fatalf("destroy %s: %s", current.TypeName, diagText(diags))
	}
}

// tryImport runs ImportResourceState, by id or (id "") by identity, then the read the
// CLI runs after it.
func (h *harness) tryImport(typeName, id string, identity map[string]any) (*instance, []*tfprotov6.Diagnostic) {
	h.t.Helper()
	req := &tfprotov6.ImportResourceStateRequest{TypeName: typeName, ID: id}
	if identity != nil {
		req.Identity = &tfprotov6.ResourceIdentityData{
			IdentityData: dynamicValue(h.t, h.identity.IdentitySchemas[typeName].ValueType(), identity),
		}
	}
	resp, err := h.server.ImportResourceState(context.Background(), req)
	if err != nil {
		h.t.Fatalf("ImportResourceState: %v", err)
	}
	if hasError(resp.Diagnostics) {
		return nil, resp.Diagnostics
	}
	if len(resp.ImportedResources) != 1 {
		h.t.Fatalf("import of %s returned %d resources, want 1", typeName, len(resp.ImportedResources))
	}
	imported := resp.ImportedResources[0]
	inst := &instance{TypeName: typeName, State: h.decodeState(typeName, imported.State), Private: imported.Private,
		Identity: imported.Identity}
	read, diags := h.tryRead(inst)
	return read, append(resp.Diagnostics, diags...)
}

// importID imports by an import ID and fails the test on an error.
func (h *harness) importID(typeName, id string) *instance {
	h.t.Helper()
	inst, diags := h.tryImport(typeName, id, nil)
	if hasError(diags) {
		h.t.Fatalf("import %s %q: %s", typeName, id, diagText(diags))
	}
	return inst
}

// readDataSource validates the configuration and reads the data source.
func (h *harness) readDataSource(typeName string, config map[string]any) (map[string]tftypes.Value, []*tfprotov6.Diagnostic) {
	h.t.Helper()
	ctx := context.Background()
	s, ok := h.schemas.DataSourceSchemas[typeName]
	if !ok {
		h.t.Fatalf("no data source %s", typeName)
	}
	cfg := dynamicValue(h.t, s.ValueType(), config)
	v, err := h.server.ValidateDataResourceConfig(ctx, &tfprotov6.ValidateDataResourceConfigRequest{TypeName: typeName, Config: cfg})
	if err != nil {
		h.t.Fatalf("ValidateDataResourceConfig: %v", err)
	}
	if hasError(v.Diagnostics) {
		return nil, v.Diagnostics
	}
	resp, err := h.server.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: typeName, Config: cfg})
	if err != nil {
		h.t.Fatalf("ReadDataSource: %v", err)
	}
	if hasError(resp.Diagnostics) || resp.State == nil {
		return nil, resp.Diagnostics
	}
	return decodeObject(h.t, resp.State, s.ValueType()), resp.Diagnostics
}

// openEphemeral validates the configuration and opens the ephemeral resource.
func (h *harness) openEphemeral(typeName string, config map[string]any) (map[string]tftypes.Value, []*tfprotov6.Diagnostic) {
	h.t.Helper()
	ctx := context.Background()
	s, ok := h.schemas.EphemeralResourceSchemas[typeName]
	if !ok {
		h.t.Fatalf("no ephemeral resource %s", typeName)
	}
	cfg := dynamicValue(h.t, s.ValueType(), config)
	v, err := h.server.ValidateEphemeralResourceConfig(ctx, &tfprotov6.ValidateEphemeralResourceConfigRequest{TypeName: typeName, Config: cfg})
	if err != nil {
		h.t.Fatalf("ValidateEphemeralResourceConfig: %v", err)
	}
	if hasError(v.Diagnostics) {
		return nil, v.Diagnostics
	}
	resp, err := h.server.OpenEphemeralResource(ctx, &tfprotov6.OpenEphemeralResourceRequest{TypeName: typeName, Config: cfg})
	if err != nil {
		h.t.Fatalf("OpenEphemeralResource: %v", err)
	}
	if hasError(resp.Diagnostics) || resp.Result == nil {
		return nil, resp.Diagnostics
	}
	return decodeObject(h.t, resp.Result, s.ValueType()), resp.Diagnostics
}

// callFunction calls a provider function; arguments are Go values of the parameters' types.
func (h *harness) callFunction(name string, args ...any) (any, *tfprotov6.FunctionError) {
	h.t.Helper()
	fn, ok := h.schemas.Functions[name]
	if !ok {
		h.t.Fatalf("no function %s", name)
	}
	var dvs []*tfprotov6.DynamicValue
	for i, a := range args {
		var typ tftypes.Type
		switch {
		case i < len(fn.Parameters):
			typ = fn.Parameters[i].Type
		case fn.VariadicParameter != nil:
			typ = fn.VariadicParameter.Type
		default:
			h.t.Fatalf("%s takes %d arguments", name, len(fn.Parameters))
		}
		dvs = append(dvs, toDynamic(h.t, toValue(h.t, typ, a)))
	}
	resp, err := h.server.CallFunction(context.Background(), &tfprotov6.CallFunctionRequest{Name: name, Arguments: dvs})
	if err != nil {
		h.t.Fatalf("CallFunction: %v", err)
	}
	if resp.Error != nil {
		return nil, resp.Error
	}
	v, err := resp.Result.Unmarshal(fn.Return.Type)
	if err != nil {
		h.t.Fatal(err)
	}
	return goValue(h.t, v), nil
}

// listed is one list result, decoded.
type listed struct {
	DisplayName string
	Identity    map[string]tftypes.Value
	Resource    map[string]tftypes.Value // nil when not asked for
}

// list runs ListResource; workspace "" leaves the list block's workspace null.
func (h *harness) list(typeName, workspace string, includeResource bool, limit int64) ([]listed, []*tfprotov6.Diagnostic) {
	h.t.Helper()
	listSchema, ok := h.schemas.ListResourceSchemas[typeName]
	if !ok {
		h.t.Fatalf("no list resource %s", typeName)
	}
	config := map[string]any{}
	if workspace != "" {
		config["workspace"] = workspace
	}
	stream, err := h.server.ListResource(context.Background(), &tfprotov6.ListResourceRequest{
		TypeName: typeName, Config: dynamicValue(h.t, listSchema.ValueType(), config), IncludeResource: includeResource, Limit: limit,
	})
	if err != nil {
		h.t.Fatalf("ListResource: %v", err)
	}
	var out []listed
	var diags []*tfprotov6.Diagnostic
	for r := range stream.Results {
		diags = append(diags, r.Diagnostics...)
		if hasError(r.Diagnostics) {
			continue
		}
		item := listed{DisplayName: r.DisplayName}
		if r.Identity == nil || r.Identity.IdentityData == nil {
			h.t.Fatalf("%s: result %q has no identity", typeName, r.DisplayName)
		}
		item.Identity = decodeObject(h.t, r.Identity.IdentityData, h.identity.IdentitySchemas[typeName].ValueType())
		if r.Resource != nil {
			item.Resource = decodeObject(h.t, r.Resource, h.schemas.ResourceSchemas[typeName].ValueType())
		}
		out = append(out, item)
	}
	return out, diags
}

func (h *harness) decodeState(typeName string, dv *tfprotov6.DynamicValue) tftypes.Value {
	h.t.Helper()
	typ := h.resourceSchema(typeName).ValueType()
	if dv == nil {
		return tftypes.NewValue(typ, nil)
	}
	v, err := dv.Unmarshal(typ)
	if err != nil {
		h.t.Fatal(err)
	}
	return v
}

// proposedNew is the CLI's proposed new state for schemas of top-level attributes
// (which is all this provider has): the configured value, or for a computed
// attribute left out of the configuration, the prior value.
func proposedNew(t testing.TB, schema *tfprotov6.Schema, prior, config tftypes.Value) tftypes.Value {
	t.Helper()
	if len(schema.Block.BlockTypes) > 0 {
		t.Fatal("proposedNew handles attributes only; the schema has blocks")
	}
	var priorAttrs, configAttrs map[string]tftypes.Value
	if !prior.IsNull() {
		if err := prior.As(&priorAttrs); err != nil {
			t.Fatal(err)
		}
	}
	if err := config.As(&configAttrs); err != nil {
		t.Fatal(err)
	}
	out := map[string]tftypes.Value{}
	for _, a := range schema.Block.Attributes {
		v := configAttrs[a.Name]
		if a.Computed && v.IsNull() {
			v = tftypes.NewValue(a.Type, nil)
			if pv, ok := priorAttrs[a.Name]; ok {
				v = pv
			}
		}
		out[a.Name] = v
	}
	return tftypes.NewValue(schema.ValueType(), out)
}

// objectValue builds an object of typ from Go values (see toValue); attributes not
// given are null.
func objectValue(t testing.TB, typ tftypes.Type, attrs map[string]any) tftypes.Value {
	t.Helper()
	obj, ok := typ.(tftypes.Object)
	if !ok {
		t.Fatalf("%s is not an object type", typ)
	}
	values := map[string]tftypes.Value{}
	for name, attrType := range obj.AttributeTypes {
		values[name] = toValue(t, attrType, attrs[name])
	}
	for name := range attrs {
		if _, ok := obj.AttributeTypes[name]; !ok {
			t.Fatalf("no attribute %q in %s", name, typ)
		}
	}
	return tftypes.NewValue(typ, values)
}

// toValue converts a Go value to a value of typ: nil is null, unknown is unknown,
// a tftypes.Value is taken as is; else a string, int64, int, bool, map[string]string,
// or map[string]any (an object, or a map whose elements convert the same way).
func toValue(t testing.TB, typ tftypes.Type, v any) tftypes.Value {
	t.Helper()
	switch v := v.(type) {
	case nil:
		return tftypes.NewValue(typ, nil)
	case tftypes.Value:
		if v.Type().Is(tftypes.DynamicPseudoType) && !v.IsKnown() {
			return tftypes.NewValue(typ, tftypes.UnknownValue)
		}
		return v
	case string, bool, int64:
		return tftypes.NewValue(typ, v)
	case int:
		return tftypes.NewValue(typ, int64(v))
	case map[string]string:
		m, ok := typ.(tftypes.Map)
		if !ok {
			t.Fatalf("a map given for a %s", typ)
		}
		elems := map[string]tftypes.Value{}
		for k, e := range v {
			elems[k] = tftypes.NewValue(m.ElementType, e)
		}
		return tftypes.NewValue(typ, elems)
	case map[string]any:
		if _, ok := typ.(tftypes.Object); ok {
			return objectValue(t, typ, v)
		}
		if m, ok := typ.(tftypes.Map); ok {
			elems := map[string]tftypes.Value{}
			for k, e := range v {
				elems[k] = toValue(t, m.ElementType, e)
			}
			return tftypes.NewValue(typ, elems)
		}
	}
	t.Fatalf("cannot convert %T to %s", v, typ)
	return tftypes.Value{}
}

// goValue converts a value to Go for assertions: nil when null, "<unknown>" when
// unknown, else a string, int64, bool, map[string]string, []string (lists and sets)
// or map[string]any (objects).
func goValue(t testing.TB, v tftypes.Value) any {
	t.Helper()
	switch {
	case v.IsNull():
		return nil
	case !v.IsKnown():
		return "<unknown>"
	}
	typ := v.Type()
	switch {
	case typ.Is(tftypes.String):
		var s string
		_ = v.As(&s)
		return s
	case typ.Is(tftypes.Bool):
		var b bool
		_ = v.As(&b)
		return b
	case typ.Is(tftypes.Number):
		var f big.Float
		_ = v.As(&f)
		n, _ := f.Int64()
		return n
	case typ.Is(tftypes.Map{}):
		var m map[string]tftypes.Value
		_ = v.As(&m)
		out := map[string]string{}
		for k, e := range m {
			out[k] = fmt.Sprint(goValue(t, e))
		}
		return out
	case typ.Is(tftypes.List{}), typ.Is(tftypes.Set{}):
		var l []tftypes.Value
		_ = v.As(&l)
		out := []string{}
		for _, e := range l {
			out = append(out, fmt.Sprint(goValue(t, e)))
		}
		sort.Strings(out)
		return out
	case typ.Is(tftypes.Object{}):
		var m map[string]tftypes.Value
		_ = v.As(&m)
		out := map[string]any{}
		for k, e := range m {
			out[k] = goValue(t, e)
		}
		return out
	}
	t.Fatalf("goValue: unsupported type %s", typ)
	return nil
}

// dynamicValue builds an object of the schema's type from Go values (see toValue).
func dynamicValue(t testing.TB, typ tftypes.Type, attrs map[string]any) *tfprotov6.DynamicValue {
	t.Helper()
	return toDynamic(t, objectValue(t, typ, attrs))
}

func toDynamic(t testing.TB, v tftypes.Value) *tfprotov6.DynamicValue {
	t.Helper()
	dv, err := tfprotov6.NewDynamicValue(v.Type(), v)
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}

func decodeObject(t testing.TB, dv *tfprotov6.DynamicValue, typ tftypes.Type) map[string]tftypes.Value {
	t.Helper()
	v, err := dv.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]tftypes.Value
	if err := v.As(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

func hasError(diags []*tfprotov6.Diagnostic) bool {
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return true
		}
	}
	return false
}

func diagText(diags []*tfprotov6.Diagnostic) string {
	var parts []string
	for _, d := range diags {
		at := ""
		if d.Attribute != nil {
			at = " [" + attrPath(d.Attribute) + "]"
		}
		parts = append(parts, d.Summary+at+": "+d.Detail)
	}
	return strings.Join(parts, "; ")
}

// findDiag returns the first diagnostic of this severity and summary, nil when none.
func findDiag(diags []*tfprotov6.Diagnostic, severity tfprotov6.DiagnosticSeverity, summary string) *tfprotov6.Diagnostic {
	for _, d := range diags {
		if d.Severity == severity && d.Summary == summary {
			return d
		}
	}
	return nil
}

// wantError fails the test unless diags hold an error with this summary, on the
// attribute at (as attrPath prints it; "" for none).
func wantError(t testing.TB, diags []*tfprotov6.Diagnostic, summary, at string) *tfprotov6.Diagnostic {
	t.Helper()
	d := findDiag(diags, tfprotov6.DiagnosticSeverityError, summary)
	if d == nil {
		t.Fatalf("no error %q; got: %s", summary, diagText(diags))
	}
	if got := attrPath(d.Attribute); got != at {
		t.Errorf("error %q is on %q, want %q", summary, got, at)
	}
	return d
}

// attrPath prints a path as HCL would: name, name["key"], name[0]; "" for none.
func attrPath(p *tftypes.AttributePath) string {
	if p == nil {
		return ""
	}
	var b strings.Builder
	for i, step := range p.Steps() {
		switch s := step.(type) {
		case tftypes.AttributeName:
			if i > 0 {
				b.WriteString(".")
			}
			b.WriteString(string(s))
		case tftypes.ElementKeyString:
			fmt.Fprintf(&b, "[%q]", string(s))
		case tftypes.ElementKeyInt:
			fmt.Fprintf(&b, "[%d]", int64(s))
		default:
			b.WriteString("[*]")
		}
	}
	return b.String()
}

func str(t testing.TB, v tftypes.Value) string {
	t.Helper()
	if v.IsNull() {
		return "<null>"
	}
	var s string
	if err := v.As(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

// privateOf decodes the provider's private state of an instance (the framework
// wraps it, per key, in a JSON map of bytes).
func privateOf(t testing.TB, inst *instance) map[string]any {
	t.Helper()
	if len(inst.Private) == 0 {
		return nil
	}
	var outer map[string][]byte
	if err := json.Unmarshal(inst.Private, &outer); err != nil {
		t.Fatalf("private state: %v", err)
	}
	raw, ok := outer["connection"]
	if !ok {
		return nil
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("private state of the provider: %v", err)
	}
	return out
}
