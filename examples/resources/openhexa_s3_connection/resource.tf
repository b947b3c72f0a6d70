resource "openhexa_s3_connection" "exports" {
  name              = "Exports bucket"
  bucket_name       = "malaria-exports"
  access_key_id     = "AKIAIOSFODNN7EXAMPLE"
  access_key_secret = var.exports_secret_key
}

# A public bucket needs no keys.
resource "openhexa_s3_connection" "open_data" {
  name        = "Open data"
  bucket_name = "open-data-example"
}

# Write-only secret key: never stored in state; bump the version to send it again.
resource "openhexa_s3_connection" "archive" {
  name                         = "Archive bucket"
  bucket_name                  = "malaria-archive"
  access_key_id                = "AKIAI44QH8DHBEXAMPLE"
  access_key_secret_wo         = var.archive_secret_key
  access_key_secret_wo_version = 1
}

variable "exports_secret_key" {
  type      = string
  sensitive = true
}

variable "archive_secret_key" {
  type      = string
  sensitive = true
  ephemeral = true
}
