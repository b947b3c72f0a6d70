package provider_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/provider"
	"github.com/hashicorp/terraform-plugin-framework/function"
	fwprovider "github.com/hashicorp/terraform-plugin-framework/provider"
)

// TestEveryFunctionIsListed: the provider page (templates/index.md.tmpl) names every
// function the provider offers, as provider::openhexa::<name>; the function pages
// themselves are generated, this list is prose.
func TestEveryFunctionIsListed(t *testing.T) {
	p, ok := provider.New("test")().(fwprovider.ProviderWithFunctions)
	if !ok {
		t.Fatal("the provider offers no functions")
	}
	var names []string
	for _, newFunction := range p.Functions(context.Background()) {
		var resp function.MetadataResponse
		newFunction().Metadata(context.Background(), function.MetadataRequest{}, &resp)
		names = append(names, resp.Name)
	}
	if len(names) == 0 {
		t.Fatal("no function")
	}
	content, err := os.ReadFile(filepath.Join("..", "..", "templates", "index.md.tmpl"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		if !strings.Contains(string(content), "`provider::openhexa::"+name+"`") {
			t.Errorf("templates/index.md.tmpl does not list `provider::openhexa::%s`", name)
		}
	}
}
