package connection

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
	"github.com/blsq/terraform-provider-openhexa/internal/slug"
	"github.com/blsq/terraform-provider-openhexa/internal/validators"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Notebooks and pipelines read connections through the OpenHEXA SDK; what it cannot
// read, the plan says (and the data sources, and the exporter's summary), from the
// facts of slug/sdk.go, read from the SDK's source at slug.SDKVersion:
//
//   - a slug with capitals: the SDK asks OpenHEXA for the slug lower-cased;
//   - slugs of one workspace that differ only by case, or by '-' against '_': the SDK finds
//     the lower-case one for every spelling, and local runs give both the same
//     environment variables;
//   - a custom field code the SDK's class cannot take (validators.SDKFieldCodeProblem,
//     which the field maps' validator gives at plan);
//   - a built-in type whose fields are not exactly its codes (sdkShape).

// sdkProblem is one thing the SDK cannot read: a warning's summary and detail, and
// a short form for a list.
type sdkProblem struct {
	summary, detail, short string
}

// sdkSlugProblems says what the SDK cannot find by this slug, held (or to be held) by
// the connection ownID ("" for one not created yet) of that type, in a workspace
// whose connections of the same environment prefix are kin (Client.ListedSlugKin;
// nil when unknown: only the slug's own spelling is then checked).
func sdkSlugProblems(apiType openhexa.ConnectionType, connSlug, ownID string, kin []openhexa.Connection) []sdkProblem {
	lookup := slug.SDKLookupSlug(connSlug)
	call := sdkLookup(apiType, connSlug)
	var twins []openhexa.Connection
	lowerHolder := ""
	if connSlug == lookup {
		lowerHolder = connSlug
	}
	for _, c := range kin {
		if ownID != "" && openhexa.SameID(c.ID, ownID) {
			continue
		}
		if c.Slug == connSlug || slug.ConstantCase(c.Slug) != slug.ConstantCase(connSlug) {
			continue
		}
		twins = append(twins, c)
		if c.Slug == lookup {
			lowerHolder = c.Slug
		}
	}
	var out []sdkProblem
	if len(twins) > 0 {
		names := make([]string, 0, len(twins))
		caseOnly := false
		for _, c := range twins {
			names = append(names, describe(&c))
			caseOnly = caseOnly || strings.EqualFold(c.Slug, connSlug)
		}
		how := fmt.Sprintf("in local runs, which read environment variables: both give the variables %s_*, so one "+
			"hides the other (through the API their slugs stay distinct)", slug.ConstantCase(connSlug))
		if caseOnly {
			found := fmt.Sprintf("the connection %q, whichever spelling code passes", lowerHolder)
			if lowerHolder == "" {
				found = fmt.Sprintf("neither (it asks for %q)", lookup)
			}
			how = fmt.Sprintf("anywhere. It lower-cases the slug it is given before asking OpenHEXA, so in OpenHEXA "+
				"%s finds %s; in local runs, which read environment variables, both give the variables %s_*, so "+
				"one hides the other", call, found, slug.ConstantCase(connSlug))
		}
		out = append(out, sdkProblem{
			summary: "Slug the OpenHEXA SDK confuses with another",
			detail: fmt.Sprintf("The workspace also holds %s, whose slug differs from %q only by case or by '-' "+
				"against '_'. The OpenHEXA SDK (openhexa-sdk %s) cannot tell them apart %s. Give them slugs that differ "+
				"by more than that.", Enumerate(names, "", "and"), connSlug, slug.SDKVersion, how),
			short: fmt.Sprintf("%q (like %s)", connSlug, quotedSlugs(twins)),
		})
	}
	if connSlug != lookup && lowerHolder == "" {
		out = append(out, sdkProblem{
			summary: "Slug the OpenHEXA SDK cannot find",
			detail: fmt.Sprintf("The OpenHEXA SDK (openhexa-sdk %s) lower-cases the slug it is given before asking "+
				"OpenHEXA, which matches slugs exactly: in OpenHEXA, %s raises ConnectionDoesNotExist (No %s "+
				"connection for %q). Local runs, which read environment variables (%s_*), do find it, so code "+
				"that passes on a laptop fails in OpenHEXA. Give the connection the lower-case slug %q (its "+
				"resource's `slug`), and use that in code.", slug.SDKVersion, call, slug.SDKTypeNoun(string(apiType)),
				connSlug, slug.ConstantCase(connSlug), lookup),
			short: fmt.Sprintf("%q (capitals: the SDK asks for %q)", connSlug, lookup),
		})
	}
	return out
}

// sdkLookup is the SDK's call that finds a connection of this type by its slug, as
// Markdown code.
func sdkLookup(apiType openhexa.ConnectionType, connSlug string) string {
	return fmt.Sprintf("`%s(%q)`", slug.SDKCall(string(apiType)), connSlug)
}

// slugKin groups a workspace's connections by the environment prefix of their slug.
func slugKin(listing []openhexa.Connection) map[string][]openhexa.Connection {
	kin := map[string][]openhexa.Connection{}
	for _, c := range listing {
		key := slug.ConstantCase(c.Slug)
		kin[key] = append(kin[key], c)
	}
	return kin
}

func quotedSlugs(conns []openhexa.Connection) string {
	slugs := make([]string, 0, len(conns))
	for _, c := range conns {
		slugs = append(slugs, fmt.Sprintf("%q", c.Slug))
	}
	return Enumerate(slugs, "", "and")
}

// sdkFieldProblems says which of a connection's fields the SDK cannot read: the
// custom codes its class cannot take, or a built-in type's fields beyond or short of
// its codes.
func sdkFieldProblems(conn openhexa.Connection) []sdkProblem {
	k := KindByAPIType(conn.Type)
	if k == nil {
		return nil
	}
	if !k.Custom {
		layout := map[string]bool{}
		for _, f := range conn.Fields {
			layout[f.Code] = f.Secret
		}
		if detail := k.sdkShapeDetail(layout); detail != "" {
			return []sdkProblem{{summary: sdkShapeSummary, detail: detail, short: fmt.Sprintf("%q (its fields)", conn.Slug)}}
		}
		return nil
	}
	var out []sdkProblem
	for _, f := range conn.Fields {
		if summary, detail := validators.SDKFieldCodeProblem(f.Code); summary != "" {
			out = append(out, sdkProblem{summary: summary, detail: fmt.Sprintf("Field %q: %s", f.Code, detail),
				short: fmt.Sprintf("%q (field %q)", conn.Slug, f.Code)})
		}
	}
	return out
}

// SDKNotes says, for each connection of a workspace's listing (by id) that
// notebooks and pipelines cannot read in full through the OpenHEXA SDK, one paragraph
// per problem: its slug (against the others) and its fields. The exporter puts these
// in its summary.
func SDKNotes(listing []openhexa.Connection) map[string][]string {
	kin := slugKin(listing)
	notes := map[string][]string{}
	for _, conn := range listing {
		for _, p := range append(sdkSlugProblems(conn.Type, conn.Slug, conn.ID, kin[slug.ConstantCase(conn.Slug)]), sdkFieldProblems(conn)...) {
			notes[conn.ID] = append(notes[conn.ID], p.summary+": "+p.detail)
		}
	}
	return notes
}

// sdkShape returns the codes of the type OpenHEXA lacks and the codes it holds beyond
// the type's, from the server's layout (code → secret flag). The SDK builds a
// built-in type's connection from exactly the type's codes: every one is a required
// argument of its dataclass, and the fields are passed as keyword arguments.
func (k *Kind) sdkShape(server map[string]bool) (missing, extra []string) {
	if k.Custom || server == nil {
		return nil, nil
	}
	known := map[string]bool{}
	for _, spec := range k.Fields {
		known[spec.Code] = true
		if _, held := server[spec.Code]; !held {
			missing = append(missing, spec.Code)
		}
	}
	for code := range server {
		if !known[code] {
			extra = append(extra, code)
		}
	}
	sort.Strings(extra)
	return missing, extra
}

const sdkShapeSummary = "The OpenHEXA SDK cannot read this connection"

// sdkShapeDetail says why the typed SDK call cannot build a connection of this
// layout, "" when it can.
func (k *Kind) sdkShapeDetail(server map[string]bool) string {
	missing, extra := k.sdkShape(server)
	if len(missing) == 0 && len(extra) == 0 {
		return ""
	}
	var held []string
	if len(extra) > 0 {
		held = append(held, "fields its type does not have ("+Enumerate(extra, "`", "and")+")")
	}
	if len(missing) > 0 {
		held = append(held, "no "+Enumerate(missing, "`", "or")+" field")
	}
	return fmt.Sprintf("OpenHEXA holds this %s connection with %s. The OpenHEXA SDK builds a %s connection from "+
		"exactly its type's fields, so `%s(...)` raises an error for it (checked with openhexa-sdk %s) and "+
		"notebooks and pipelines cannot use it that way. The provider keeps the fields as OpenHEXA holds "+
		"them; to make the connection readable, set the missing fields here and remove the extra ones in "+
		"OpenHEXA.", k.Title, strings.Join(held, " and "), k.Title, slug.SDKCall(string(k.APIType)), slug.SDKVersion)
}

// warnSDKShape warns when the typed SDK call cannot build this connection.
func (r *connectionResource) warnSDKShape(server map[string]bool, diags *diag.Diagnostics) {
	if detail := r.kind.sdkShapeDetail(server); detail != "" {
		diags.AddWarning(sdkShapeSummary, detail)
	}
}

// warnSDKSlug warns, on the attribute the slug comes from, when the SDK cannot find
// the connection by the slug this plan gives it: capitals, or another connection of
// the workspace that differs only by case (or by '-' against '_'), from the run's listing.
// ownID is the connection the resource manages, or the one a replacement's create
// deletes first. A create or a slug change lists the workspace if the run has not; an
// unchanged slug is checked against a listing the refresh read, never one of its own.
func (r *connectionResource) warnSDKSlug(ctx context.Context, prior, planned commonModel, configured types.String, ownID string, resp *resource.ModifyPlanResponse) {
	if resp.Diagnostics.HasError() {
		return
	}
	wanted, known := wantedSlug(configured, planned.Slug, planned.Name)
	if !known || planned.Workspace.IsNull() || planned.Workspace.IsUnknown() {
		return
	}
	fetch := prior.Slug.ValueString() != wanted
	kin, listed, err := r.data.Client.ListedSlugKin(ctx, planned.Workspace.ValueString(), wanted, fetch)
	if !listed || err != nil {
		kin = nil // no listing to compare with: only the slug's own spelling is checked
	}
	at := path.Root(attrSlug)
	if configured.IsNull() {
		at = path.Root(attrName)
	}
	for _, p := range sdkSlugProblems(r.kind.APIType, wanted, ownID, kin) {
		resp.Diagnostics.AddAttributeWarning(at, p.summary, p.detail)
	}
}

// wantedSlug is the slug a plan gives the connection: the planned one, else, for a
// create without `slug`, the one OpenHEXA derives from a known name; false when only
// the apply knows it (or no slug can be derived, which checkDerivableSlug reports).
func wantedSlug(configured, planned, name types.String) (string, bool) {
	switch {
	case !planned.IsUnknown() && !planned.IsNull():
		return planned.ValueString(), true
	case configured.IsNull() && !name.IsUnknown() && !name.IsNull():
		return slug.Derive(name.ValueString())
	}
	return "", false
}

// warnSDKRead adds, for a data source, a warning per thing the SDK cannot read of conn.
func warnSDKRead(ctx context.Context, client *openhexa.Client, workspace string, conn *openhexa.Connection, diags *diag.Diagnostics) {
	kin, listed, err := client.ListedSlugKin(ctx, workspace, conn.Slug, true)
	if !listed || err != nil {
		kin = nil
	}
	for _, p := range append(sdkSlugProblems(conn.Type, conn.Slug, conn.ID, kin), sdkFieldProblems(*conn)...) {
		diags.AddWarning(p.summary, fmt.Sprintf("Connection %q of workspace %q: %s", conn.Slug, workspace, p.detail))
	}
}

// sdkListWarning is the one warning of a listing: how many of the listed connections
// the SDK cannot find by their slug, and the first few; "" for none. all is the whole
// workspace, listed what the data source returns of it.
func sdkListWarning(workspace string, all, listed []openhexa.Connection) string {
	const shown = 3
	var shorts []string
	count := 0
	kin := slugKin(all)
	for _, c := range listed {
		problems := sdkSlugProblems(c.Type, c.Slug, c.ID, kin[slug.ConstantCase(c.Slug)])
		if len(problems) == 0 {
			continue
		}
		count++
		if len(shorts) < shown {
			shorts = append(shorts, problems[0].short)
		}
	}
	if count == 0 {
		return ""
	}
	more := ""
	if count > len(shorts) {
		more = fmt.Sprintf(", and %d more", count-len(shorts))
	}
	subject := fmt.Sprintf("%d connections of workspace %q have", count, workspace)
	if count == 1 {
		subject = fmt.Sprintf("1 connection of workspace %q has", workspace)
	}
	return fmt.Sprintf("%s a slug that the OpenHEXA SDK (openhexa-sdk %s) cannot look up as written: %s%s. The SDK "+
		"lower-cases the slug it is given before asking OpenHEXA, and local runs name environment variables after "+
		"the slug without case or the difference between '-' and '_'. The `openhexa_connection` data source says "+
		"what each of them does.", subject, slug.SDKVersion, strings.Join(shorts, "; "), more)
}
