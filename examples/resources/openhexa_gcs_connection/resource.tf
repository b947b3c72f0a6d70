resource "openhexa_gcs_connection" "raw" {
  name                = "Raw data bucket"
  bucket_name         = "malaria-raw"
  service_account_key = var.raw_service_account_key
}

# Write-only key, read from an ephemeral variable: never stored in state. Bump the
# version to send a new key.
resource "openhexa_gcs_connection" "curated" {
  name                           = "Curated data bucket"
  bucket_name                    = "malaria-curated"
  service_account_key_wo         = var.curated_service_account_key
  service_account_key_wo_version = 1
}

variable "raw_service_account_key" {
  type        = string
  description = "The service account's JSON key."
  sensitive   = true
}

variable "curated_service_account_key" {
  type        = string
  description = "The service account's JSON key."
  sensitive   = true
  ephemeral   = true
}
