# The demo: one PostgreSQL and one custom connection in a workspace of the
# OpenHEXA test server that `make demo` starts.
terraform {
  required_providers {
    openhexa = {
      source = "registry.opentofu.org/blsq/openhexa"
    }
  }
}

variable "url" {
  type = string
}

variable "token" {
  type      = string
  sensitive = true
}

provider "openhexa" {
  url       = var.url
  token     = var.token
  workspace = "malaria-surveillance"
}

resource "openhexa_postgres_connection" "warehouse" {
  name        = "Malaria data warehouse"
  description = "Read-only access for the weekly report pipeline"
  host        = "warehouse.example.org"
  db_name     = "malaria"
  username    = "report_reader"
  password    = "demo-password-not-real"
}

resource "openhexa_custom_connection" "sms_gateway" {
  name = "SMS gateway"
  fields = {
    base_url = "https://sms.example.org/v2"
    sender   = "HEXA"
  }
  secret_fields = {
    api_key = "demo-api-key-not-real"
  }
}

output "warehouse_slug" {
  value = openhexa_postgres_connection.warehouse.slug
}

output "sms_gateway_slug" {
  value = openhexa_custom_connection.sms_gateway.slug
}
