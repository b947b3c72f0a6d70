package workspace_test

import (
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/acctest"
)

func TestMain(m *testing.M) { acctest.Main(m) }
