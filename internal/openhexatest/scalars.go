package openhexatest

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// uuidScalar is the UUID scalar. Unmarshalling a malformed value fails, which
// graphql-go reports as an execution error (HTTP 200), as the real API does for a
// variable it cannot coerce.
type uuidScalar string

func (uuidScalar) ImplementsGraphQLType(name string) bool { return name == "UUID" }

func (u *uuidScalar) UnmarshalGraphQL(input any) error {
	s, ok := input.(string)
	if !ok {
		return fmt.Errorf("UUID cannot represent a non-string value: %v", input)
	}
	norm, ok := parseUUID(s)
	if !ok {
		return errors.New("badly formed hexadecimal UUID string")
	}
	*u = uuidScalar(norm)
	return nil
}

func (u uuidScalar) MarshalJSON() ([]byte, error) { return json.Marshal(string(u)) }

// dateTime is the DateTime scalar, written as the real server writes it: UTC,
// always with milliseconds and "Z" ("2026-12-01T13:21:10.513Z").
type dateTime struct{ time.Time }

func (dateTime) ImplementsGraphQLType(name string) bool { return name == "DateTime" }

func (d *dateTime) UnmarshalGraphQL(input any) error {
	s, ok := input.(string)
	if !ok {
		return fmt.Errorf("DateTime cannot represent a non-string value: %v", input)
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return err
	}
	d.Time = t
	return nil
}

func (d dateTime) MarshalJSON() ([]byte, error) { return json.Marshal(formatTime(d.Time)) }

func formatTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }
