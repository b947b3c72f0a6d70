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
  name        = "Warehouse (Terraform 1.5)"
  slug        = "warehouse-tf15"
  description = "Schema v0 fixture"
  host        = "db.example.org"
  port        = 6543
  db_name     = "dwh"
  username    = "etl"
  password    = "fixture-password-pg"
}

resource "openhexa_postgres_connection" "default_port" {
  name     = "Default port (Terraform 1.5)"
  host     = "db2.example.org"
  db_name  = "dwh2"
  username = "reader"
  password = "fixture-password-pg2"
  verify   = false
}

resource "openhexa_dhis2_connection" "play" {
  name     = "DHIS2 play (Terraform 1.5)"
  url      = "https://play.dhis2.example.org/40"
  username = "admin"
  password = "fixture-password-dhis2"
}

resource "openhexa_iaso_connection" "iaso" {
  name     = "IASO (Terraform 1.5)"
  url      = "https://iaso.example.org"
  username = "iaso-user"
  password = "fixture-password-iaso"
}

resource "openhexa_s3_connection" "bucket" {
  name              = "Bucket (Terraform 1.5)"
  bucket_name       = "fixture-bucket"
  access_key_id     = "AKIAFIXTURE"
  access_key_secret = "fixture-secret-s3"
}

resource "openhexa_gcs_connection" "gcs" {
  name                = "GCS (Terraform 1.5)"
  bucket_name         = "fixture-gcs"
  service_account_key = jsonencode({ type = "service_account", client_email = "etl@fixture.iam.gserviceaccount.com", private_key = "fixture-key" })
}

resource "openhexa_custom_connection" "api" {
  name          = "Custom API (Terraform 1.5)"
  fields        = { base_url = "https://api.example.org", region = "eu" }
  secret_fields = { api_key = "fixture-api-key" }
}

