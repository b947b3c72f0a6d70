# The id takes the same forms as `terraform import`: <workspace>/<slug>,
# <workspace>/<connection UUID>, or a UUID in the provider's default workspace.
import {
  to = openhexa_postgres_connection.warehouse
  id = "malaria-surveillance/malaria-data-warehouse"
}
