package connection

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/blsq/terraform-provider-openhexa/internal/importid"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
	"github.com/blsq/terraform-provider-openhexa/internal/providerdata"
	"github.com/blsq/terraform-provider-openhexa/internal/slug"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

var (
	_ resource.ResourceWithConfigure   = &connectionResource{}
	_ resource.ResourceWithImportState = &connectionResource{}
	_ resource.ResourceWithModifyPlan  = &connectionResource{}
	_ resource.ResourceWithIdentity    = &connectionResource{}
)

// connectionResource is the one implementation behind every openhexa_*_connection
// resource; kind says which type it serves.
type connectionResource struct {
	kind *Kind
	data *providerdata.Data
}

// Resources returns a constructor per kind, for the provider's resource list.
func Resources() []func() resource.Resource {
	out := make([]func() resource.Resource, 0, len(Kinds))
	for _, k := range Kinds {
		out = append(out, NewResource(k))
	}
	return out
}

// NewResource returns the constructor of a kind's resource.
func NewResource(k *Kind) func() resource.Resource {
	return func() resource.Resource { return &connectionResource{kind: k} }
}

func (r *connectionResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + r.kind.Name + "_connection"
}

func (r *connectionResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = r.kind.resourceSchema()
}

func (r *connectionResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identitySchema()
}

func (r *connectionResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerdata.From(req.ProviderData, &resp.Diagnostics)
}

// commonModel holds the attributes every kind has.
type commonModel struct {
	ID          types.String
	Workspace   types.String
	Name        types.String
	Slug        types.String
	Description types.String
}

func getCommon(ctx context.Context, src getter) (commonModel, diag.Diagnostics) {
	var m commonModel
	var diags diag.Diagnostics
	diags.Append(src.GetAttribute(ctx, path.Root(attrID), &m.ID)...)
	diags.Append(src.GetAttribute(ctx, path.Root(attrWorkspace), &m.Workspace)...)
	diags.Append(src.GetAttribute(ctx, path.Root(attrName), &m.Name)...)
	diags.Append(src.GetAttribute(ctx, path.Root(attrSlug), &m.Slug)...)
	diags.Append(src.GetAttribute(ctx, path.Root(attrDescription), &m.Description)...)
	return m, diags
}

// setFromServer writes everything the server returned into dst, starting from prior
// (a plan or state of the same schema), which supplies what the server does not
// know: secrets the token may not read, write-only versions, verify.
func (r *connectionResource) setFromServer(ctx context.Context, workspace string, conn *openhexa.Connection, priorRaw tftypes.Value, dst *tfsdk.State, p *privateData) diag.Diagnostics {
	buf, diags := newStateBuffer(ctx, dst.Schema.Type(), priorRaw)
	if diags.HasError() {
		return diags
	}
	diags.Append(r.mapServer(ctx, workspace, conn, buf, p)...)
	if diags.HasError() {
		return diags
	}
	diags.Append(flush(ctx, buf, dst)...)
	return diags
}

// mapServer maps the server's connection onto buf, whose values are the prior ones.
func (r *connectionResource) mapServer(ctx context.Context, workspace string, conn *openhexa.Connection, buf *stateBuffer, p *privateData) diag.Diagnostics {
	p.recordServer(conn)
	diags := mapSummary(ctx, workspace, conn, buf)
	diags.Append(r.kind.setFieldsFromServer(ctx, conn, buf, buf, p)...)
	return diags
}

// mapSummary maps everything but the fields: what a listing without fields holds.
func mapSummary(ctx context.Context, workspace string, conn *openhexa.Connection, buf *stateBuffer) diag.Diagnostics {
	var diags diag.Diagnostics
	diags.Append(buf.SetAttribute(ctx, path.Root(attrID), conn.ID)...)
	diags.Append(buf.SetAttribute(ctx, path.Root(attrWorkspace), workspace)...)
	diags.Append(buf.SetAttribute(ctx, path.Root(attrName), conn.Name)...)
	diags.Append(buf.SetAttribute(ctx, path.Root(attrSlug), conn.Slug)...)
	diags.Append(buf.SetAttribute(ctx, path.Root(attrDescription), conn.DescriptionOrEmpty())...)
	diags.Append(buf.SetAttribute(ctx, path.Root(attrUpdatedAt), types.StringValue(conn.UpdatedAtOrCreated()))...)
	return diags
}

func setIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, workspace, id string) diag.Diagnostics {
	if identity == nil {
		return nil // older CLIs do not store identity
	}
	return identity.Set(ctx, identityModel{Workspace: types.StringValue(workspace), ID: types.StringValue(id)})
}

// versioned reports, per field code, whether its write-only value is versioned.
func (r *connectionResource) versioned(ctx context.Context, config getter) func(code string) bool {
	return func(code string) bool {
		name := code + versionSuffix
		if r.kind.Custom {
			name = attrCustomSecretsWOVer
		}
		var v types.Int64
		if config == nil || config.GetAttribute(ctx, path.Root(name), &v).HasError() {
			return false
		}
		return !v.IsNull()
	}
}

// withSecretsMasked makes the log mask every secret value the configuration holds.
func withSecretsMasked(ctx context.Context, planned []plannedField) context.Context {
	var secrets []string
	for _, pf := range planned {
		if !pf.Secret {
			continue
		}
		for _, v := range []*string{pf.Value, pf.WOValue} {
			if v != nil && *v != "" {
				secrets = append(secrets, *v)
			}
		}
	}
	if len(secrets) == 0 {
		return ctx
	}
	ctx = tflog.MaskAllFieldValuesStrings(ctx, secrets...)
	return tflog.MaskMessageStrings(ctx, secrets...)
}

func (r *connectionResource) notConfigured(diags *diag.Diagnostics) bool {
	return providerdata.NotConfigured(r.data, diags)
}

func (r *connectionResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	if r.notConfigured(&resp.Diagnostics) {
		return
	}
	plan, diags := getCommon(ctx, req.Plan)
	resp.Diagnostics.Append(diags...)
	planned, diags := r.kind.plannedFields(ctx, req.Plan, req.Config, nil)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if r.kind.refuseMissingWriteOnly(missingWriteOnly(planned), &resp.Diagnostics) {
		return
	}
	ctx = withSecretsMasked(ctx, planned)
	p := &privateData{}
	fields, sentWO := wireFields(planned, p, true, r.versioned(ctx, req.Config))
	workspace := plan.Workspace.ValueString()
	input := openhexa.CreateConnectionInput{
		WorkspaceSlug: workspace,
		Name:          plan.Name.ValueString(),
		Description:   plan.Description.ValueString(),
		Type:          r.kind.APIType,
		Fields:        fields,
	}
	// Always send a slug, the user's or the one the server would derive from the
	// name: the provider checks it is free, finds the connection again after an
	// ambiguous failure, and never keeps another one.
	slugConfigured := !plan.Slug.IsNull() && !plan.Slug.IsUnknown()
	if slugConfigured {
		wanted := plan.Slug.ValueString()
		input.Slug = &wanted
	} else if derived, ok := slug.Derive(input.Name); ok {
		input.Slug = &derived
	}

	if !r.verified(ctx, req.Config, workspace, planned, true, &resp.Diagnostics) {
		return
	}
	tflog.Debug(ctx, "creating connection", map[string]any{"workspace": workspace, "type": string(r.kind.APIType)})
	conn, err := r.createReconciled(ctx, input)
	var taken *slugTakenError
	switch {
	case errors.As(err, &taken):
		if r.adoptOnCreate(ctx, req, resp, planned, p, sentWO, taken) {
			return
		}
		r.addSlugTaken(workspace, taken.slug, taken.holder, slugConfigured, taken.outcome(), slugTakenAt{name: input.Name}, &resp.Diagnostics)
		r.keepRacedCopy(ctx, workspace, taken, req.Plan.Raw, resp)
		return
	case err != nil:
		addCreateAPIError(&resp.Diagnostics, r.data, "Cannot create "+r.kind.ResourceTypeName(), workspace, err)
		return
	case input.Slug != nil && conn.Slug != *input.Slug:
		r.refuseSuffixedSlug(ctx, workspace, *input.Slug, slugConfigured, conn, req.Plan.Raw, resp)
		return
	}
	r.data.NoteCreated(workspace, conn.Slug, conn.ID)
	p.settleWriteOnly(planned, sentWO, r.versioned(ctx, req.Config))
	resp.Diagnostics.Append(r.setFromServer(ctx, workspace, conn, req.Plan.Raw, &resp.State, p)...)
	resp.Diagnostics.Append(p.save(ctx, resp.Private)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, workspace, conn.ID)...)
}

// refuseSuffixedSlug undoes a create that the server stored under a suffixed slug
// because the asked one was taken meanwhile: the provider never keeps a slug other
// than the one it asked for. When the copy cannot be deleted, it goes to state with
// the error, so Terraform marks it tainted and the next apply removes it: nothing is
// left untracked.
func (r *connectionResource) refuseSuffixedSlug(ctx context.Context, workspace, wanted string, configured bool, created *openhexa.Connection, planRaw tftypes.Value, resp *resource.CreateResponse) {
	holder, _ := r.data.Client.ConnectionBySlug(ctx, workspace, wanted)
	if err := r.data.Client.DeleteConnection(ctx, created.ID); err != nil && !openhexa.IsKind(err, openhexa.KindNotFound) {
		resp.Diagnostics.AddError("Connection created under another slug",
			fmt.Sprintf("The slug %q was taken in workspace %q while the connection was being created, so OpenHEXA "+
				"stored it as %q. The provider could not delete that copy (%s); it is saved in state as tainted, "+
				"and the next apply deletes it.", wanted, workspace, created.Slug, err))
		p := &privateData{}
		resp.Diagnostics.Append(r.setFromServer(ctx, workspace, created, planRaw, &resp.State, p)...)
		resp.Diagnostics.Append(p.save(ctx, resp.Private)...)
		resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, workspace, created.ID)...)
		return
	}
	r.addSlugTaken(workspace, wanted, holder, configured, fmt.Sprintf("OpenHEXA had stored this attempt's "+
		"connection under the slug %q; the provider deleted it, so nothing of this attempt is left.", created.Slug),
		slugTakenAt{name: created.Name}, &resp.Diagnostics)
}

func (r *connectionResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	if r.notConfigured(&resp.Diagnostics) {
		return
	}
	// One buffer for the whole read: prior values in, server values over them, one Set.
	buf, diags := newStateBuffer(ctx, req.State.Schema.Type(), req.State.Raw)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	state, diags := getCommon(ctx, buf)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	p, diags := loadPrivate(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Fields as state holds them are still OpenHEXA's while the connection's
	// updated_at has not moved since they were read (see privateData.FieldsAt; an
	// import has none yet).
	since := p.FieldsAt
	if r.data.FullRefresh || r.kind.extrasUnshown(ctx, buf, p) {
		since = ""
	}
	read := r.data.Client.ConnectionIfChanged
	if readOneByOne {
		read = func(ctx context.Context, _, id, _ string) (*openhexa.Connection, bool, error) {
			conn, err := r.data.Client.Connection(ctx, id)
			return conn, false, err
		}
	}
	conn, unchanged, err := read(ctx, state.Workspace.ValueString(), state.ID.ValueString(), since)
	if err != nil {
		// Not proven absent (a workspace this token cannot see, a failed listing):
		// state keeps the resource.
		addAPIError(&resp.Diagnostics, r.data, "Cannot read "+r.kind.ResourceTypeName(), state.Workspace.ValueString(), err)
		return
	}
	if conn == nil {
		tflog.Info(ctx, "connection absent from the workspace's listing; removing it from state", map[string]any{"id": state.ID.ValueString()})
		// The framework wants an identity even for a removed resource when the CLI
		// sent none (CLIs before identity support).
		resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, state.Workspace.ValueString(), state.ID.ValueString())...)
		resp.State.RemoveResource(ctx)
		return
	}
	if !r.checkType(conn, &resp.Diagnostics) {
		return
	}
	if unchanged {
		// Fields, their hashes and the drift noted at the last read stay as they are.
		resp.Diagnostics.Append(mapSummary(ctx, state.Workspace.ValueString(), conn, buf)...)
	} else {
		if p.ImportWriteOnly {
			// Imported for a configuration with write-only secrets: keep what OpenHEXA
			// holds as hashes, so the first plan sends nothing and state holds no secret.
			r.kind.importHashes(conn, p)
			p.ImportWriteOnly = false
		}
		resp.Diagnostics.Append(r.mapServer(ctx, state.Workspace.ValueString(), conn, buf, p)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(flush(ctx, buf, &resp.State)...)
	resp.Diagnostics.Append(p.save(ctx, resp.Private)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, state.Workspace.ValueString(), conn.ID)...)
}

func (r *connectionResource) checkType(conn *openhexa.Connection, diags *diag.Diagnostics) bool {
	if conn.Type == r.kind.APIType {
		return true
	}
	right := "no resource of this provider"
	if k := KindByAPIType(conn.Type); k != nil {
		right = k.ResourceTypeName()
	}
	diags.AddError("Connection of another type",
		fmt.Sprintf("The connection %q (id %s) is a %s connection, not a %s one: manage it with %s.",
			conn.Slug, conn.ID, conn.Type, r.kind.APIType, right))
	return false
}

func (r *connectionResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	if r.notConfigured(&resp.Diagnostics) {
		return
	}
	plan, diags := getCommon(ctx, req.Plan)
	resp.Diagnostics.Append(diags...)
	planned, diags := r.kind.plannedFields(ctx, req.Plan, req.Config, req.State)
	resp.Diagnostics.Append(diags...)
	p, diags := loadPrivate(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx = withSecretsMasked(ctx, planned)
	r.ensureLayout(ctx, plan.ID.ValueString(), p)
	fields, sentWO, sendFields := r.kind.updateFields(ctx, req.State, planned, p, r.versioned(ctx, req.Config))
	name, description := plan.Name.ValueString(), plan.Description.ValueString()
	input := openhexa.UpdateConnectionInput{
		ID:            plan.ID.ValueString(),
		Name:          &name,
		Description:   &description,
		Fields:        fields,
		ReplaceFields: sendFields,
	}
	if !plan.Slug.IsNull() && !plan.Slug.IsUnknown() {
		s := plan.Slug.ValueString()
		input.Slug = &s
	}
	workspace := plan.Workspace.ValueString()
	if !r.kind.writeNeeded(ctx, req.Plan, req.State, planned, p, r.versioned(ctx, req.Config)) {
		// Only what the server does not hold changed (verify, a write-only secret
		// leaving state whose value the server has): nothing is sent.
		tflog.Debug(ctx, "nothing to write to OpenHEXA", map[string]any{"id": input.ID})
		var updated types.String
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root(attrUpdatedAt), &updated)...)
		resp.State.Raw = req.Plan.Raw.Copy()
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(attrUpdatedAt), updated)...)
		p.settleWriteOnly(planned, nil, r.versioned(ctx, req.Config))
		resp.Diagnostics.Append(p.save(ctx, resp.Private)...)
		resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, workspace, input.ID)...)
		return
	}
	pending := writeOnlyPending(planned, p, r.kind.verifies(ctx, req.Config), r.versioned(ctx, req.Config))
	if r.kind.refuseMissingWriteOnly(missingOnUpdate(pending), &resp.Diagnostics) {
		return
	}
	if !r.verified(ctx, req.Config, workspace, planned, false, &resp.Diagnostics) {
		return
	}

	var priorSlug types.String
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root(attrSlug), &priorSlug)...)
	conn, err := r.updateSlugFirst(ctx, priorSlug.ValueString(), input) // slug_change.go
	if err != nil {
		r.addUpdateError(ctx, workspace, input, req.State, err, &resp.Diagnostics)
		// Updates are not atomic on the server: record what it holds now.
		if current, readErr := r.data.Client.Connection(ctx, input.ID); readErr == nil && current != nil {
			resp.Diagnostics.Append(r.setFromServer(ctx, workspace, current, req.State.Raw, &resp.State, p)...)
			resp.Diagnostics.Append(p.save(ctx, resp.Private)...)
		}
		return
	}
	p.settleWriteOnly(planned, sentWO, r.versioned(ctx, req.Config))
	resp.Diagnostics.Append(r.setFromServer(ctx, workspace, conn, req.Plan.Raw, &resp.State, p)...)
	if !r.kind.Custom {
		resp.Diagnostics.Append(keepPlannedExtras(ctx, req.Plan, resp.State, &resp.State, p)...)
	}
	resp.Diagnostics.Append(p.save(ctx, resp.Private)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, workspace, conn.ID)...)
}

// addUpdateError says what a failed update means in the user's terms.
func (r *connectionResource) addUpdateError(ctx context.Context, workspace string, input openhexa.UpdateConnectionInput, state tfsdk.State, err error, diags *diag.Diagnostics) {
	summary := "Cannot update " + r.kind.ResourceTypeName()
	switch {
	case openhexa.IsKind(err, openhexa.KindNotFound) && r.notProvenGone(ctx, workspace, input.ID, err, summary, diags):
	case openhexa.IsKind(err, openhexa.KindNotFound):
		diags.AddError(summary, fmt.Sprintf("The connection %s no longer exists in workspace %q: it was deleted "+
			"outside Terraform. Run a plan again: it finds the connection gone and plans to create it anew.", input.ID, workspace))
	case openhexa.IsKind(err, openhexa.KindInvalid) && input.Slug != nil:
		var prior types.String
		diags.Append(state.GetAttribute(ctx, path.Root(attrSlug), &prior)...)
		if prior.ValueString() != *input.Slug {
			if holder, lookupErr := r.data.Client.ConnectionBySlug(ctx, workspace, *input.Slug); lookupErr == nil && holder != nil && !openhexa.SameID(holder.ID, input.ID) {
				addSlugChangeTaken(workspace, *input.Slug, prior.ValueString(), holder, "OpenHEXA refused the update.", diags)
				return
			}
		}
		addAPIError(diags, r.data, summary, workspace, err)
	default:
		addAPIError(diags, r.data, summary, workspace, err)
	}
}

// verified runs the server's credential check when `verify = true`; false stops the
// apply before anything is written.
func (r *connectionResource) verified(ctx context.Context, config getter, workspace string, planned []plannedField, creating bool, diags *diag.Diagnostics) bool {
	if !r.kind.verifies(ctx, config) {
		return true
	}
	input := openhexa.TestConnectionInput{WorkspaceSlug: workspace, Type: r.kind.APIType}
	for _, pf := range planned {
		value := pf.Value
		if pf.WriteOnly {
			value = pf.WOValue
		}
		input.Fields = append(input.Fields, openhexa.FieldInput{Code: pf.Code, Value: value, Secret: pf.Secret})
	}
	ok, message, err := r.data.Client.TestConnection(ctx, input)
	if err != nil {
		if creating {
			addCreateAPIError(diags, r.data, "Cannot verify the credentials", workspace, err)
		} else {
			addAPIError(diags, r.data, "Cannot verify the credentials", workspace, err)
		}
		return false
	}
	if !ok {
		diags.AddAttributeError(path.Root(attrVerify), "OpenHEXA could not connect with these credentials",
			fmt.Sprintf("OpenHEXA tried the planned %s credentials and they did not work: %s\n\nNothing was "+
				"created or changed. Fix the values, or set verify = false to save them anyway.", r.kind.Title, message))
		return false
	}
	return true
}

func (r *connectionResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	if r.notConfigured(&resp.Diagnostics) {
		return
	}
	state, diags := getCommon(ctx, req.State)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	// replacement.go: the old object of a replacement never takes its new one along,
	// and is deleted only once the new one can be created.
	if r.keptForItsNewObject(state, &resp.Diagnostics) || !r.replacementCanFollow(ctx, req.Private, state, &resp.Diagnostics) {
		return
	}
	if err := r.deleteReconciled(ctx, state.Workspace.ValueString(), state.ID.ValueString()); err != nil {
		addDeleteError(&resp.Diagnostics, r.data, "Cannot delete "+r.kind.ResourceTypeName(), state, err)
	}
}

// ModifyPlan fills the workspace from the provider, and plans the writes that no
// attribute shows: a write-only value to send again, or a field layout to repair.
func (r *connectionResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	v, diags := newPlanValues(ctx, req)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.modifyPlan(ctx, v, req, resp)
	v.writeBack(ctx, resp)
}

// modifyPlan plans into v what ModifyPlan writes back once.
func (r *connectionResource) modifyPlan(ctx context.Context, v *planValues, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	r.planWorkspace(ctx, v, req, resp)
	creating := req.State.Raw.IsNull()
	replaced := ""
	if creating {
		replaced = replacedID(ctx, req, resp) // set for the create half of a replacement
		// Checks that need no request first: a plan they refuse asks OpenHEXA nothing.
		r.checkDerivableSlug(ctx, v, resp)
		r.checkCreateCodes(ctx, v, resp)
	}
	r.planIntegrity(ctx, v, req, replaced, resp) // plan_create_check.go: taken slugs, adoption, identifier and SDK warnings
	if creating {
		r.planCreateWriteOnly(ctx, v, replaced != "", resp)
		return
	}
	if resp.Diagnostics.HasError() {
		return
	}
	if r.kind.Custom && unknownFieldMaps(ctx, v.plan, v.config) {
		// What changes is known only at apply, which decides what to send.
		resp.Diagnostics.Append(v.setPlanned(ctx, path.Root(attrUpdatedAt), types.StringUnknown())...)
		return
	}
	planned, diags := r.kind.plannedFields(ctx, v.plan, v.config, v.state)
	resp.Diagnostics.Append(diags...)
	p, diags := loadPrivate(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.warnSDKShape(p.Server, &resp.Diagnostics)
	if len(resp.RequiresReplace) > 0 && r.kind.refuseReplacementWithoutWriteOnly(planned, &resp.Diagnostics) {
		return
	}
	versioned := r.versioned(ctx, v.config)
	if len(resp.RequiresReplace) == 0 && !r.kind.writeNeeded(ctx, v.plan, v.state, planned, p, versioned) {
		// Nothing will be sent, so OpenHEXA will not change updated_at.
		var updated, proposed types.String
		resp.Diagnostics.Append(v.state.GetAttribute(ctx, path.Root(attrUpdatedAt), &updated)...)
		resp.Diagnostics.Append(v.plan.GetAttribute(ctx, path.Root(attrUpdatedAt), &proposed)...)
		if !proposed.Equal(updated) {
			resp.Diagnostics.Append(v.setPlanned(ctx, path.Root(attrUpdatedAt), updated)...)
		}
		return
	}
	// A replacement has no value left null here (refused above), so verify adds none to it.
	pending := writeOnlyPending(planned, p, r.kind.verifies(ctx, v.config), versioned)
	layout := r.planFieldRules(ctx, v.state, planned, p, versioned, &resp.Diagnostics)
	if len(pending) == 0 && layout == "" {
		return
	}
	r.kind.warnWriteOnlySent(pending, &resp.Diagnostics)
	resp.Diagnostics.Append(v.setPlanned(ctx, path.Root(attrUpdatedAt), types.StringUnknown())...)
}

// checkDerivableSlug refuses, at plan time, a name OpenHEXA cannot derive a slug from
// when no slug is set (the server would answer INVALID_SLUG at apply).
func (r *connectionResource) checkDerivableSlug(ctx context.Context, v *planValues, resp *resource.ModifyPlanResponse) {
	var name, configured types.String
	resp.Diagnostics.Append(v.config.GetAttribute(ctx, path.Root(attrName), &name)...)
	resp.Diagnostics.Append(v.config.GetAttribute(ctx, path.Root(attrSlug), &configured)...)
	if !configured.IsNull() || name.IsNull() || name.IsUnknown() {
		return
	}
	if _, ok := slug.Derive(name.ValueString()); !ok {
		resp.Diagnostics.AddAttributeError(path.Root(attrName), "No slug can be derived from this name",
			"OpenHEXA derives a connection's slug from its name, keeping only ASCII letters and digits (after "+
				"transliteration); this name leaves none. Set `slug` explicitly (letters, digits, '-' and '_').")
	}
}

func (r *connectionResource) planWorkspace(ctx context.Context, v *planValues, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	var configured, prior types.String
	resp.Diagnostics.Append(v.config.GetAttribute(ctx, path.Root(attrWorkspace), &configured)...)
	if !req.State.Raw.IsNull() {
		resp.Diagnostics.Append(v.state.GetAttribute(ctx, path.Root(attrWorkspace), &prior)...)
	}
	if !configured.IsNull() {
		return
	}
	planned := prior
	if r.data != nil {
		if r.data.Workspace == "" {
			resp.Diagnostics.AddAttributeError(path.Root(attrWorkspace), "Missing workspace",
				"Set `workspace` on the resource, or a default `workspace` in the provider block (or the "+
					"OPENHEXA_WORKSPACE / HEXA_WORKSPACE environment variable).")
			return
		}
		planned = types.StringValue(r.data.Workspace)
	} else if prior.IsNull() {
		planned = types.StringUnknown()
	}
	var proposed types.String
	resp.Diagnostics.Append(v.plan.GetAttribute(ctx, path.Root(attrWorkspace), &proposed)...)
	if !proposed.Equal(planned) {
		resp.Diagnostics.Append(v.setPlanned(ctx, path.Root(attrWorkspace), planned)...)
	}
	if !prior.IsNull() && !planned.IsUnknown() && !planned.Equal(prior) {
		resp.RequiresReplace = append(resp.RequiresReplace, path.Root(attrWorkspace))
	}
}

func (r *connectionResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if r.notConfigured(&resp.Diagnostics) {
		return
	}
	var ref importid.Ref
	if req.ID != "" {
		parsed, err := importid.Parse(req.ID)
		if err != nil {
			resp.Diagnostics.AddError("Invalid import ID", err.Error()+". "+importid.Usage(r.kind.ResourceTypeName()))
			return
		}
		ref = parsed
	} else if req.Identity != nil {
		var id identityModel
		resp.Diagnostics.Append(req.Identity.Get(ctx, &id)...)
		if resp.Diagnostics.HasError() {
			return
		}
		ref = importid.Ref{Workspace: id.Workspace.ValueString(), ID: id.ID.ValueString()}
	}
	if ref.Workspace == "" {
		ref.Workspace = r.data.Workspace
	}
	if ref.Workspace == "" {
		resp.Diagnostics.AddError("Missing workspace for import",
			"The import ID names no workspace and the provider has no default `workspace`. "+importid.Usage(r.kind.ResourceTypeName()))
		return
	}
	conn, err := lookupConnection(ctx, r.data.Client, ref.Workspace, ref.Slug, ref.ID)
	if err != nil {
		addAPIError(&resp.Diagnostics, r.data, "Cannot import "+r.kind.ResourceTypeName(), ref.Workspace, err)
		return
	}
	if conn == nil {
		resp.Diagnostics.AddError("Connection not found",
			fmt.Sprintf("No connection %s in workspace %q is visible to this token.", ref, ref.Workspace))
		return
	}
	if !r.checkType(conn, &resp.Diagnostics) {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(attrID), conn.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(attrWorkspace), ref.Workspace)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, ref.Workspace, conn.ID)...)
	if ref.WriteOnly {
		resp.Diagnostics.Append((&privateData{ImportWriteOnly: true}).save(ctx, resp.Private)...)
	}
	r.warnUnreadableSecrets(conn, &resp.Diagnostics)
}

// warnUnreadableSecrets tells, after an import, which secrets state cannot hold and
// what the configuration must provide.
func (r *connectionResource) warnUnreadableSecrets(conn *openhexa.Connection, diags *diag.Diagnostics) {
	var unreadable []string
	for _, f := range conn.Fields {
		if f.Secret && f.Value == nil {
			unreadable = append(unreadable, f.Code)
		}
	}
	if len(unreadable) == 0 {
		return
	}
	var hint []string
	for _, code := range unreadable {
		if r.kind.Custom {
			hint = append(hint, fmt.Sprintf("%q in secret_fields or secret_fields_wo", code))
		} else {
			hint = append(hint, fmt.Sprintf("%s (or %s%s)", code, code, writeOnlySuffix))
		}
	}
	diags.AddWarning("Secret values not imported",
		fmt.Sprintf("This token may not read the secret values of connection %q, so state does not hold: %s. "+
			"Add them to the configuration: %s. Until then, plans never show a difference for them.",
			conn.Slug, strings.Join(unreadable, ", "), strings.Join(hint, "; ")))
}
