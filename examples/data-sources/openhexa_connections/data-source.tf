# Every PostgreSQL connection of the workspace.
data "openhexa_connections" "databases" {
  workspace = "malaria-surveillance"
  type      = "postgres"
}

output "database_slugs" {
  value = [for c in data.openhexa_connections.databases.connections : c.slug]
}
