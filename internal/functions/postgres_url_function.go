package functions

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ function.Function = &postgresURLFunction{}

// postgresURLFunction builds the connection URI of a PostgreSQL connection's fields,
// as the OpenHEXA SDK's PostgreSQLConnection.url does, for tools that take one
// DATABASE_URL-style string.
type postgresURLFunction struct{}

// NewPostgresURLFunction returns provider::openhexa::postgres_url.
func NewPostgresURLFunction() function.Function { return &postgresURLFunction{} }

func (f *postgresURLFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "postgres_url"
}

func (f *postgresURLFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "The connection URI of a PostgreSQL connection's fields",
		MarkdownDescription: "Returns `postgresql://<username>:<password>@<host>:<port>/<db_name>` from the fields of " +
			"an OpenHEXA PostgreSQL connection (for example `ephemeral.openhexa_connection.x.fields`): the form of the " +
			"OpenHEXA SDK's `PostgreSQLConnection.url`, but with the user name, password and database " +
			"percent-encoded so that any character is safe (the SDK, and OpenHEXA's `<SLUG>_URL` variable, insert " +
			"them as they are: a password holding `@`, `:` or `/` breaks their URL). The port defaults to 5432. The result holds the " +
			"password: pass it on from an ephemeral value or a write-only attribute, and mark it sensitive.",
		Parameters: []function.Parameter{
			function.MapParameter{
				Name:                "fields",
				ElementType:         types.StringType,
				MarkdownDescription: "The connection's fields by code: `host`, `port`, `db_name`, `username`, `password`.",
			},
		},
		Return: function.StringReturn{},
	}
}

func (f *postgresURLFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var fields map[string]*string
	resp.Error = function.ConcatFuncErrors(resp.Error, req.Arguments.Get(ctx, &fields))
	if resp.Error != nil {
		return
	}
	value := func(code string) string {
		if v, ok := fields[code]; ok && v != nil {
			return *v
		}
		return ""
	}
	var missing []string
	for _, code := range []string{"host", "db_name", "username"} {
		if strings.TrimSpace(value(code)) == "" {
			missing = append(missing, code)
		}
	}
	if len(missing) > 0 {
		resp.Error = function.NewArgumentFuncError(0, fmt.Sprintf("the fields lack %s: a PostgreSQL connection "+
			"has host, port, db_name, username and password", strings.Join(missing, ", ")))
		return
	}
	port := value("port")
	if port == "" {
		port = "5432"
	}
	u := url.URL{
		Scheme: "postgresql",
		Host:   net.JoinHostPort(value("host"), port),
		Path:   "/" + value("db_name"),
	}
	if password, ok := fields["password"]; ok && password != nil {
		u.User = url.UserPassword(value("username"), *password)
	} else {
		u.User = url.User(value("username"))
	}
	resp.Error = function.ConcatFuncErrors(resp.Error, resp.Result.Set(ctx, u.String()))
}
