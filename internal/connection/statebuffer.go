package connection

import (
	"context"
	"fmt"
	"reflect"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// stateBuffer holds a resource's top-level attribute values while they are mapped
// from the server, and writes them in one Set. The framework's Get/SetAttribute walk
// the whole schema on every call, which made refreshing many connections cost more
// in the provider than on the wire.
type stateBuffer struct {
	objectType basetypes.ObjectType
	values     map[string]attr.Value
}

// rawHolder is a state, a plan or a list result: something with a Raw value to replace.
type rawHolder interface {
	*tfsdk.State | *tfsdk.Resource | *tfsdk.Plan
}

// newStateBuffer starts from raw (a plan or a state of the schema whose type is
// schemaType); a null raw starts with every attribute null.
func newStateBuffer(ctx context.Context, schemaType attr.Type, raw tftypes.Value) (*stateBuffer, diag.Diagnostics) {
	var diags diag.Diagnostics
	objectType, ok := schemaType.(basetypes.ObjectType)
	if !ok {
		diags.AddError("Unexpected schema type", fmt.Sprintf("%T is not an object type. This is a bug in the provider.", schemaType))
		return nil, diags
	}
	b := &stateBuffer{objectType: objectType, values: map[string]attr.Value{}}
	if raw.IsNull() || !raw.IsKnown() {
		return b, diags
	}
	value, err := objectType.ValueFromTerraform(ctx, raw)
	if err != nil {
		diags.AddError("Cannot read the prior values", err.Error())
		return nil, diags
	}
	if obj, ok := value.(basetypes.ObjectValue); ok {
		for name, v := range obj.Attributes() {
			b.values[name] = v
		}
	}
	return b, diags
}

// GetAttribute reads a top-level attribute into target: a pointer to its value type,
// or to a Go type the framework converts it to.
func (b *stateBuffer) GetAttribute(ctx context.Context, p path.Path, target any) diag.Diagnostics {
	var diags diag.Diagnostics
	name := p.String()
	value, ok := b.values[name]
	if !ok {
		value = b.null(name)
	}
	dst := reflect.ValueOf(target)
	if value != nil && dst.Kind() == reflect.Pointer && !reflect.TypeOf(value).AssignableTo(dst.Elem().Type()) {
		// A Go type (a map of values, a string): the framework's own conversion.
		return tfsdk.ValueAs(ctx, value, target)
	}
	if dst.Kind() != reflect.Pointer || value == nil {
		diags.AddAttributeError(p, "Unexpected attribute type",
			fmt.Sprintf("Cannot read %T into %T. This is a bug in the provider.", value, target))
		return diags
	}
	dst.Elem().Set(reflect.ValueOf(value))
	return diags
}

// SetAttribute sets a top-level attribute from an attr.Value or a Go string.
func (b *stateBuffer) SetAttribute(_ context.Context, p path.Path, val any) diag.Diagnostics {
	var diags diag.Diagnostics
	switch v := val.(type) {
	case string:
		b.values[p.String()] = types.StringValue(v)
	case attr.Value:
		b.values[p.String()] = v
	default:
		diags.AddAttributeError(p, "Unexpected attribute value", fmt.Sprintf("%T is not supported. This is a bug in the provider.", val))
	}
	return diags
}

// flush writes every attribute to dst at once.
func flush[T rawHolder](ctx context.Context, b *stateBuffer, dst T) diag.Diagnostics {
	values := make(map[string]attr.Value, len(b.objectType.AttrTypes))
	for name := range b.objectType.AttrTypes {
		v, ok := b.values[name]
		if !ok {
			v = b.null(name)
		}
		values[name] = v
	}
	obj, diags := types.ObjectValue(b.objectType.AttrTypes, values)
	if diags.HasError() {
		return diags
	}
	raw, err := obj.ToTerraformValue(ctx)
	if err != nil {
		diags.AddError("Cannot build the new state", err.Error())
		return diags
	}
	switch d := any(dst).(type) {
	case *tfsdk.State:
		d.Raw = raw
	case *tfsdk.Resource:
		d.Raw = raw
	case *tfsdk.Plan:
		d.Raw = raw
	}
	return diags
}

func (b *stateBuffer) null(name string) attr.Value {
	t, ok := b.objectType.AttrTypes[name]
	if !ok {
		return nil
	}
	v, err := t.ValueFromTerraform(context.Background(), tftypes.NewValue(t.TerraformType(context.Background()), nil))
	if err != nil {
		return nil
	}
	return v
}
