package openhexatest

// HostileCase is one connection of the hostile workspace: something OpenHEXA
// holds although no form of the web app would make it.
type HostileCase struct {
	// Case names the situation in a few words (also the connection's slug, after
	// the prefix given to SeedHostile).
	Case string
	// Why says why the case is hostile, for test messages.
	Why string
	// Connection is what was stored, as StoredConnection (ID and slug filled in).
	Connection StoredConnection
}

// A service-account key that has the shape Google Cloud issues (the key itself is
// not a real one).
const hostileGoodGCSKey = `{"type": "service_account", "project_id": "hostile", "client_email": ` +
	`"robot@hostile.iam.gserviceaccount.com", "private_key": "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"}`

// HostileConnections returns the hostile set, unstored, with slugs prefix+case.
// Every one is something the real OpenHEXA accepts through its API (createConnection
// checks only the code format of each field, never which codes a type has nor their
// values), except the case "custom-refused-code", whose code only a write that skips
// the model's validation can store (a database written before the rule, a script):
// the real server refuses it on create and on any update that lists it.
func HostileConnections(workspace, prefix string) []HostileCase {
	c := func(name, typ string, fields ...Field) StoredConnection {
		return StoredConnection{Workspace: workspace, Name: prefix + name, Slug: prefix + name, Type: typ,
			CreatedBy: EmailAdmin, Fields: fields}
	}
	f := func(code, value string) Field { return Field{Code: code, Value: value} }
	s := func(code, value string) Field { return Field{Code: code, Value: value, Secret: true} }
	cases := []HostileCase{
		{Case: "s3-no-keys", Why: "an S3 connection with only bucket_name (a public bucket made through the API)",
			Connection: c("s3-no-keys", TypeS3, f("bucket_name", "public-open-data"))},
		{Case: "pg-sslmode", Why: "a PostgreSQL connection with an extra field sslmode",
			Connection: c("pg-sslmode", TypePostgreSQL, f("host", "db.hostile.example"), f("port", "5432"),
				f("db_name", "warehouse"), f("username", "reader"), s("password", "pg-secret"), f("sslmode", "require"))},
		{Case: "pg-extra-secret", Why: "a PostgreSQL connection with an extra secret field",
			Connection: c("pg-extra-secret", TypePostgreSQL, f("host", "db2.hostile.example"), f("port", "6543"),
				f("db_name", "warehouse"), f("username", "reader"), s("password", "pg-secret-2"), s("sslkey", "key-material"))},
		{Case: "dhis2-empty-secret", Why: "a DHIS2 connection whose password is the empty string",
			Connection: c("dhis2-empty-secret", TypeDHIS2, f("url", "https://dhis2.hostile.example"), f("username", "anonymous"),
				s("password", ""))},
		{Case: "gcs-bad-key", Why: "a GCS connection whose key is not a service-account JSON",
			Connection: c("gcs-bad-key", TypeGCS, f("bucket_name", "hostile-bucket"), s("service_account_key", "not a key"))},
		{Case: "pg-empty-port", Why: "a PostgreSQL connection whose port is the empty string",
			Connection: c("pg-empty-port", TypePostgreSQL, f("host", "db3.hostile.example"), f("port", ""),
				f("db_name", "warehouse"), f("username", "reader"), s("password", "pg-secret-3"))},
		{Case: "pg-no-port", Why: "a PostgreSQL connection without a port field",
			Connection: c("pg-no-port", TypePostgreSQL, f("host", "db4.hostile.example"),
				f("db_name", "warehouse"), f("username", "reader"), s("password", "pg-secret-4"))},
		{Case: "pg-unflagged-secret", Why: "a PostgreSQL password stored without its secret flag",
			Connection: c("pg-unflagged-secret", TypePostgreSQL, f("host", "db5.hostile.example"), f("port", "5432"),
				f("db_name", "warehouse"), f("username", "reader"), f("password", "visible-to-viewers"))},
		{Case: "custom-keywords", Why: "custom field codes that are HCL and Python keywords, and one with '-'",
			Connection: c("custom-keywords", TypeCustom, f("for", "loop"), f("in", "inside"), f("if", "maybe"),
				f("api-version", "v2"), s("token", "custom-secret"))},
		{Case: "custom-refused-code", Why: "a custom field code OpenHEXA would refuse today (a '.')",
			Connection: c("custom-refused-code", TypeCustom, f("api.version", "3"), f("region", "eu"),
				s("token", "refused-neighbour"))},
		{Case: "custom-empty", Why: "a custom connection with empty values and an empty secret",
			Connection: c("custom-empty", TypeCustom, f("note", ""), s("api_key", ""))},
		{Case: "s3-amazon-rules", Why: "an S3 bucket name outside Amazon's rules, keys present",
			Connection: c("s3-amazon-rules", TypeS3, f("bucket_name", "Team_Bucket"), f("access_key_id", "AKIAHOSTILE"),
				s("access_key_secret", "s3-secret"))},
		{Case: "dhis2-api-url", Why: "a DHIS2 URL ending in /api, and a blank user name",
			Connection: c("dhis2-api-url", TypeDHIS2, f("url", "https://dhis2.hostile.example/api"), f("username", " "),
				s("password", "district"))},
		{Case: "iaso-not-url", Why: "an IASO URL that is not a URL",
			Connection: c("iaso-not-url", TypeIASO, f("url", "iaso.hostile.example"), f("username", "iaso"),
				s("password", "iaso-secret"))},
		// Ordinary ones, as the web app makes them.
		{Case: "pg-ordinary", Why: "an ordinary PostgreSQL connection",
			Connection: c("pg-ordinary", TypePostgreSQL, f("host", "db.ordinary.example"), f("port", "5432"),
				f("db_name", "app"), f("username", "app"), s("password", "app-secret"))},
		{Case: "s3-ordinary", Why: "an ordinary S3 connection",
			Connection: c("s3-ordinary", TypeS3, f("bucket_name", "ordinary-bucket"), f("access_key_id", "AKIAORDINARY"),
				s("access_key_secret", "ordinary-secret"))},
		{Case: "gcs-ordinary", Why: "an ordinary GCS connection",
			Connection: c("gcs-ordinary", TypeGCS, f("bucket_name", "ordinary-gcs"), s("service_account_key", hostileGoodGCSKey))},
		{Case: "custom-ordinary", Why: "an ordinary custom connection",
			Connection: c("custom-ordinary", TypeCustom, f("base_url", "https://api.example.org"), s("api_key", "k-123"))},
	}
	return cases
}

// SeedHostile stores the hostile set in a workspace, behind the API's back as a
// script or another client would, and returns it as stored. prefix starts every
// name and slug (pass "" for none).
func (s *Server) SeedHostile(workspace, prefix string) []HostileCase {
	cases := HostileConnections(workspace, prefix)
	for i := range cases {
		cases[i].Connection = s.CreateStored(cases[i].Connection)
	}
	return cases
}
