// Package functions holds the provider's functions: pure computations on connection
// names and fields that need no API call.
package functions

import (
	"context"
	"fmt"

	"github.com/blsq/terraform-provider-openhexa/internal/slug"
	"github.com/hashicorp/terraform-plugin-framework/function"
)

var _ function.Function = &slugFunction{}

// slugFunction predicts the slug OpenHEXA derives from a connection name.
type slugFunction struct{}

// NewSlugFunction returns provider::openhexa::slug.
func NewSlugFunction() function.Function { return &slugFunction{} }

func (f *slugFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "slug"
}

func (f *slugFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "The slug OpenHEXA derives from a connection name",
		MarkdownDescription: "Returns the slug the OpenHEXA server assigns to a connection created with this " +
			"name and no explicit slug: the name slugified as python-slugify does (transliterated to ASCII, " +
			"lower-cased, every run of other characters turned into `-`), cut to 40 characters, trailing `-` " +
			"trimmed. The server appends `-` and four hexadecimal characters when the slug is already taken in " +
			"the workspace; this function cannot know that. Fails when nothing usable is left (the server would " +
			"refuse the name).",
		Parameters: []function.Parameter{
			function.StringParameter{
				Name:                "name",
				MarkdownDescription: "The connection's display name.",
			},
		},
		Return: function.StringReturn{},
	}
}

func (f *slugFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var name string
	resp.Error = function.ConcatFuncErrors(resp.Error, req.Arguments.Get(ctx, &name))
	if resp.Error != nil {
		return
	}
	derived, ok := slug.Derive(name)
	if !ok {
		resp.Error = function.NewArgumentFuncError(0, fmt.Sprintf("the name %q has no letter or digit that "+
			"OpenHEXA can turn into a slug, so the server would refuse it (INVALID_SLUG): use a name with at "+
			"least one letter or digit, or set the slug explicitly", name))
		return
	}
	resp.Error = function.ConcatFuncErrors(resp.Error, resp.Result.Set(ctx, derived))
}
