# A connection URI for tools that take one string (DATABASE_URL), from the fields of
# an OpenHEXA PostgreSQL connection. With `ephemeral "openhexa_connection"`, pass
# its `fields` instead, so that the password is never stored.
output "warehouse_url" {
  value = provider::openhexa::postgres_url({
    host     = "warehouse.example.org"
    port     = "5432"
    db_name  = "malaria"
    username = "report_reader"
    password = var.warehouse_password
  })
  sensitive = true
}

variable "warehouse_password" {
  type      = string
  sensitive = true
}
