# A connection someone created in the web app, found by its slug. Only non-secret
# fields are exposed; read secrets through the ephemeral openhexa_connection.
data "openhexa_connection" "dhis2" {
  workspace = "malaria-surveillance"
  slug      = "dhis2-national"
}

output "dhis2_url" {
  value = data.openhexa_connection.dhis2.fields["url"]
}
