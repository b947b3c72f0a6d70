resource "openhexa_iaso_connection" "iaso" {
  name        = "IASO"
  description = "Health facility registry"
  url         = "https://iaso.bluesquare.org"
  username    = "openhexa"
  password    = var.iaso_password
}

# Write-only password: never stored in state. Without password_wo_version, the
# provider notices a changed value through a salted hash kept in private state.
resource "openhexa_iaso_connection" "iaso_staging" {
  name        = "IASO staging"
  url         = "https://iaso-staging.bluesquare.org"
  username    = "openhexa"
  password_wo = var.iaso_staging_password
}

variable "iaso_password" {
  type      = string
  sensitive = true
}

variable "iaso_staging_password" {
  type      = string
  sensitive = true
  ephemeral = true
}
