# Configure the PostgreSQL provider from an OpenHEXA connection, password included,
# without the password ever reaching state or plan (Terraform 1.10+, OpenTofu 1.11+).
# Reading secret values needs the ADMIN or EDITOR role in the workspace.
terraform {
  required_providers {
    openhexa = {
      source = "registry.opentofu.org/blsq/openhexa"
    }
    postgresql = {
      source = "cyrilgdn/postgresql"
    }
  }
}

ephemeral "openhexa_connection" "warehouse" {
  workspace = "malaria-surveillance"
  slug      = "surveillance-database"
}

provider "postgresql" {
  host     = ephemeral.openhexa_connection.warehouse.fields["host"]
  port     = tonumber(ephemeral.openhexa_connection.warehouse.fields["port"])
  database = ephemeral.openhexa_connection.warehouse.fields["db_name"]
  username = ephemeral.openhexa_connection.warehouse.fields["username"]
  password = ephemeral.openhexa_connection.warehouse.fields["password"]
  sslmode  = "require"
}

# For example, a read-only role for the pipelines' reports.
resource "postgresql_role" "reports" {
  name  = "reports"
  login = false
}
