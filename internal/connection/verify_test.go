package connection_test

import (
	"context"
	"errors"
	"regexp"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/acctest"
	"github.com/blsq/terraform-provider-openhexa/internal/connection"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// TestAccVerifyStopsBadCredentials: with verify = true, credentials the server's
// testConnection rejects stop the apply with the server's message, and nothing is
// created; good ones are saved. The test server's tester accepts only the sample's
// create secret here (a real PostgreSQL check is the server's job in production).
func TestAccVerifyStopsBadCredentials(t *testing.T) {
	needsTestServer(t, "its testConnection is a stub accepting only the sample secrets; a real server would try DHIS2, IASO, S3 and GCS over the internet")
	for _, kind := range connection.Kinds {
		if kind.Custom {
			continue
		}
		t.Run(kind.Name, func(t *testing.T) {
			t.Parallel()
			good := kindSamples[kind.Name].create
			goodSecrets := map[string]bool{}
			for _, v := range secretValues(kind, good) {
				goodSecrets[v] = true
			}
			srv := openhexatest.Start(t, openhexatest.WithConnectionTester(func(_ context.Context, _ string, fields map[string]string) error {
				for _, f := range kind.Fields {
					if f.Secret && !goodSecrets[fields[f.Code]] {
						return errors.New("authentication failed for the given user")
					}
				}
				return nil
			}))
			bad := withSecretsOf(kind, good, kindSamples[kind.Name].update)
			withVerify := func(s sample) sample {
				out := sample{"verify": true}
				for k, v := range s {
					out[k] = v
				}
				return out
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				CheckDestroy:             serverEmpty(srv),
				Steps: []resource.TestStep{
					{
						Config:      connectionConfig(srv, openhexatest.TokenEditor, kind, "Verified", "verified", withVerify(bad)),
						ExpectError: regexp.MustCompile(`(?s)could not connect.*authentication failed.*Nothing was\s+created`),
					},
					{
						Config: connectionConfig(srv, openhexatest.TokenEditor, kind, "Verified", "verified", withVerify(good)),
						Check:  serverHolds(srv, kind, "Verified", "verified", good),
					},
					{
						// An update with wrong credentials is refused and the server keeps the good ones.
						Config:      connectionConfig(srv, openhexatest.TokenEditor, kind, "Verified", "verified", withVerify(bad)),
						ExpectError: regexp.MustCompile(`authentication failed`),
					},
					{
						Config: connectionConfig(srv, openhexatest.TokenEditor, kind, "Verified", "verified", withVerify(good)),
						Check:  serverHolds(srv, kind, "Verified", "verified", good),
					},
				},
			})
		})
	}
}
