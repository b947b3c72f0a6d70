# Notebooks and pipelines find it by its slug: `dhis2-national`.
resource "openhexa_dhis2_connection" "national" {
  name     = "DHIS2 national instance"
  slug     = "dhis2-national"
  url      = "https://dhis2.example.org"
  username = "openhexa"
  password = var.dhis2_password
}

# Write-only password: never stored in state; bump the version to send it again.
resource "openhexa_dhis2_connection" "play" {
  name                = "DHIS2 play"
  url                 = "https://play.dhis2.org/40"
  username            = "admin"
  password_wo         = var.dhis2_play_password
  password_wo_version = 1
}

variable "dhis2_password" {
  type      = string
  sensitive = true
}

variable "dhis2_play_password" {
  type      = string
  sensitive = true
  ephemeral = true
}
