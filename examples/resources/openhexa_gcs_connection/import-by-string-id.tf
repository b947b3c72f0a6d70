# The id takes the same forms as `terraform import`: <workspace>/<slug>,
# <workspace>/<connection UUID>, or a UUID in the provider's default workspace.
import {
  to = openhexa_gcs_connection.raw
  id = "malaria-surveillance/raw-data-bucket"
}
