package openhexatest

import "time"

// connectionResolver is the Connection interface and, through its To… methods,
// every concrete connection type: one Go type serves them all, the concrete
// GraphQL type being chosen by the connection type.
type connectionResolver struct {
	id, name, slug, description, typ string
	createdAt, updatedAt             time.Time
	user                             *userResolver
	fields                           []field
	manage                           bool // may update/delete, reads secrets in clear
}

func (c *connectionResolver) ID() string   { return c.id }
func (c *connectionResolver) Name() string { return c.name }
func (c *connectionResolver) Slug() string { return c.slug }

// Description is never null: an empty description is "".
func (c *connectionResolver) Description() *string { d := c.description; return &d }
func (c *connectionResolver) CreatedAt() dateTime  { return dateTime{c.createdAt} }
func (c *connectionResolver) UpdatedAt() *dateTime { return &dateTime{c.updatedAt} }
func (c *connectionResolver) Type() string         { return c.typ }
func (c *connectionResolver) User() *userResolver  { return c.user }
func (c *connectionResolver) Permissions() *connectionPermissionsResolver {
	return &connectionPermissionsResolver{manage: c.manage}
}

func (c *connectionResolver) Fields() []*fieldResolver {
	out := make([]*fieldResolver, len(c.fields))
	for i, f := range c.fields {
		out[i] = &fieldResolver{f: f, hidden: f.secret && !c.manage}
	}
	return out
}

func (c *connectionResolver) as(typ string) (*connectionResolver, bool) { return c, c.typ == typ }

func (c *connectionResolver) ToPostgreSQLConnection() (*connectionResolver, bool) {
	return c.as(TypePostgreSQL)
}
func (c *connectionResolver) ToDHIS2Connection() (*connectionResolver, bool) { return c.as(TypeDHIS2) }
func (c *connectionResolver) ToIASOConnection() (*connectionResolver, bool)  { return c.as(TypeIASO) }
func (c *connectionResolver) ToS3Connection() (*connectionResolver, bool)    { return c.as(TypeS3) }
func (c *connectionResolver) ToGCSConnection() (*connectionResolver, bool)   { return c.as(TypeGCS) }
func (c *connectionResolver) ToCustomConnection() (*connectionResolver, bool) {
	return c.as(TypeCustom)
}

type connectionPermissionsResolver struct{ manage bool }

func (p *connectionPermissionsResolver) Update() bool { return p.manage }
func (p *connectionPermissionsResolver) Delete() bool { return p.manage }

type fieldResolver struct {
	f      field
	hidden bool // a secret the caller may not read: value is null
}

func (f *fieldResolver) Code() string { return f.f.code }

func (f *fieldResolver) Value() *string {
	if f.hidden {
		return nil
	}
	v := f.f.value
	return &v
}

func (f *fieldResolver) Secret() bool         { return f.f.secret }
func (f *fieldResolver) CreatedAt() dateTime  { return dateTime{f.f.createdAt} }
func (f *fieldResolver) UpdatedAt() *dateTime { return &dateTime{f.f.updatedAt} }
