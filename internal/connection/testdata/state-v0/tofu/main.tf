terraform {
  required_providers {
    openhexa = { source = "blsq/openhexa" }
  }
}

provider "openhexa" {
  url       = "http://127.0.0.1:8911"
  workspace = "malaria-surveillance"
}

resource "openhexa_postgres_connection" "warehouse" {
  name        = "Warehouse"
  slug        = "warehouse"
  description = "Schema v0 fixture"
  host        = "db.example.org"
  port        = 6543
  db_name     = "dwh"
  username    = "etl"
  password    = "fixture-password-pg"
}

resource "openhexa_postgres_connection" "default_port" {
  name     = "Default port"
  host     = "db2.example.org"
  db_name  = "dwh2"
  username = "reader"
  password = "fixture-password-pg2"
  verify   = false
}

resource "openhexa_dhis2_connection" "play" {
  name     = "DHIS2 play"
  url      = "https://play.dhis2.example.org/40"
  username = "admin"
  password = "fixture-password-dhis2"
}

resource "openhexa_iaso_connection" "iaso" {
  name     = "IASO"
  url      = "https://iaso.example.org"
  username = "iaso-user"
  password = "fixture-password-iaso"
}

resource "openhexa_s3_connection" "bucket" {
  name              = "Bucket"
  bucket_name       = "fixture-bucket"
  access_key_id     = "AKIAFIXTURE"
  access_key_secret = "fixture-secret-s3"
}

resource "openhexa_gcs_connection" "gcs" {
  name                = "GCS"
  bucket_name         = "fixture-gcs"
  service_account_key = jsonencode({ type = "service_account", client_email = "etl@fixture.iam.gserviceaccount.com", private_key = "fixture-key" })
}

resource "openhexa_custom_connection" "api" {
  name          = "Custom API"
  fields        = { base_url = "https://api.example.org", region = "eu" }
  secret_fields = { api_key = "fixture-api-key" }
}

resource "openhexa_dhis2_connection" "write_only" {
  name                = "DHIS2 write-only"
  url                 = "https://dhis2.example.org"
  username            = "wo-user"
  password_wo         = "fixture-password-wo"
  password_wo_version = 1
}

resource "openhexa_custom_connection" "write_only" {
  name                     = "Custom write-only"
  fields                   = { host = "h.example.org" }
  secret_fields_wo         = { token = "fixture-token-wo" }
  secret_fields_wo_version = 1
}
