# A password kept in state (sensitive: hidden in plans and logs).
resource "openhexa_postgres_connection" "warehouse" {
  name        = "Malaria data warehouse"
  description = "Read-only access for the weekly report pipeline"
  host        = "warehouse.example.org"
  port        = "5432"
  db_name     = "malaria"
  username    = "report_reader"
  password    = var.warehouse_password
}

# The same with a write-only password: sent to OpenHEXA, never stored in state.
# Bump password_wo_version to send a new password.
resource "openhexa_postgres_connection" "analytics" {
  workspace           = "malaria-surveillance"
  name                = "Analytics replica"
  slug                = "analytics-replica"
  host                = "replica.example.org"
  db_name             = "analytics"
  username            = "pipeline"
  password_wo         = var.analytics_password
  password_wo_version = 1
}

variable "warehouse_password" {
  type      = string
  sensitive = true
}

variable "analytics_password" {
  type      = string
  sensitive = true
  ephemeral = true
}
