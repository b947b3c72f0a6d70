package openhexa

import "slices"

// ConnectionType is the API's ConnectionType enum.
type ConnectionType string

// The connection types OpenHEXA offers: the values of enum ConnectionType in
// schema.graphql (TestConnectionTypesAreTheSchemaEnum holds the two together).
const (
	TypePostgreSQL ConnectionType = "POSTGRESQL"
	TypeDHIS2      ConnectionType = "DHIS2"
	TypeIASO       ConnectionType = "IASO"
	TypeS3         ConnectionType = "S3"
	TypeGCS        ConnectionType = "GCS"
	TypeCustom     ConnectionType = "CUSTOM"
)

// ConnectionTypes lists every type this client understands.
var ConnectionTypes = []ConnectionType{TypePostgreSQL, TypeDHIS2, TypeIASO, TypeS3, TypeGCS, TypeCustom}

// Known reports whether the type is one this client understands.
func (t ConnectionType) Known() bool { return slices.Contains(ConnectionTypes, t) }

// User is the API's User.
type User struct {
	ID          string `json:"id"`
	Email       string `json:"email"`
	DisplayName string `json:"displayName"`
}

// Me is who the token belongs to; User is nil when the server did not accept the token.
type Me struct {
	User        *User `json:"user"`
	Permissions struct {
		SuperUser bool `json:"superUser"`
	} `json:"permissions"`
}

// Workspace is the API's Workspace, without its connections.
type Workspace struct {
	Slug        string  `json:"slug"`
	Name        string  `json:"name"`
	Description *string `json:"description"`
	Permissions struct {
		CreateConnection bool `json:"createConnection"`
		Update           bool `json:"update"`
		ManageMembers    bool `json:"manageMembers"`
	} `json:"permissions"`
	// CurrentMembership is nil when access is implicit (organisation admin, superuser).
	CurrentMembership *struct {
		ID   string `json:"id"`
		Role string `json:"role"`
	} `json:"currentMembership"`
}

// ConnectionField is one stored field. Value is nil for a secret the caller may not read.
type ConnectionField struct {
	Code   string  `json:"code"`
	Value  *string `json:"value"`
	Secret bool    `json:"secret"`
}

// Connection is the API's Connection interface, as the client selects it.
type Connection struct {
	ID          string            `json:"id"`
	Name        string            `json:"name"`
	Slug        string            `json:"slug"`
	Description *string           `json:"description"`
	Type        ConnectionType    `json:"type"`
	CreatedAt   string            `json:"createdAt"`
	UpdatedAt   *string           `json:"updatedAt"`
	Fields      []ConnectionField `json:"fields"`
}

// DescriptionOrEmpty returns the description, "" when the server has none.
func (c *Connection) DescriptionOrEmpty() string {
	if c.Description == nil {
		return ""
	}
	return *c.Description
}

// UpdatedAtOrCreated returns updatedAt, createdAt when the server gave none.
func (c *Connection) UpdatedAtOrCreated() string {
	if c.UpdatedAt == nil {
		return c.CreatedAt
	}
	return *c.UpdatedAt
}

// Field returns the field with the given code.
func (c *Connection) Field(code string) (ConnectionField, bool) {
	for _, f := range c.Fields {
		if f.Code == code {
			return f, true
		}
	}
	return ConnectionField{}, false
}

// FieldInput is the API's ConnectionFieldInput. Value nil asks the server to keep the
// stored value of an existing code; it is always sent, as the contract requires.
type FieldInput struct {
	Code   string  `json:"code"`
	Value  *string `json:"value"`
	Secret bool    `json:"secret"`
}

// CreateConnectionInput is the API's CreateConnectionInput.
type CreateConnectionInput struct {
	WorkspaceSlug string         `json:"workspaceSlug"`
	Name          string         `json:"name"`
	Slug          *string        `json:"slug,omitempty"`
	Description   string         `json:"description"`
	Type          ConnectionType `json:"type"`
	Fields        []FieldInput   `json:"fields"`
}

// UpdateConnectionInput is the API's UpdateConnectionInput. Fields nil leaves the
// fields untouched; a non-nil slice (even empty) replaces them all.
type UpdateConnectionInput struct {
	ID          string       `json:"id"`
	Name        *string      `json:"name,omitempty"`
	Slug        *string      `json:"slug,omitempty"`
	Description *string      `json:"description,omitempty"`
	Fields      []FieldInput `json:"fields,omitempty"`
	// ReplaceFields sends Fields even when empty, which deletes every field.
	ReplaceFields bool `json:"-"`
}

// TestConnectionInput is the API's TestConnectionInput.
type TestConnectionInput struct {
	WorkspaceSlug string         `json:"workspaceSlug"`
	Type          ConnectionType `json:"type"`
	Fields        []FieldInput   `json:"fields"`
}
