import {
  to = openhexa_postgres_connection.warehouse
  identity = {
    workspace = "malaria-surveillance"
    id        = "0b9a1c52-6f43-4f8e-9d7a-2c1e5b8f4a10"
  }
}
