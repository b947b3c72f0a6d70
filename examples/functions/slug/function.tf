# The slug OpenHEXA derives from a connection name when no slug is given:
# "Malaria data warehouse" gives "malaria-data-warehouse".
output "warehouse_slug" {
  value = provider::openhexa::slug("Malaria data warehouse")
}
