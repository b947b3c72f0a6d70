data "openhexa_workspace" "main" {
  slug = "malaria-surveillance"
}

# Fail at plan time, with a clear message, when the token may not manage connections
# (a VIEWER, for instance).
check "can_manage_connections" {
  assert {
    condition     = data.openhexa_workspace.main.can_manage_connections
    error_message = "The OpenHEXA token may not manage connections in ${data.openhexa_workspace.main.name}."
  }
}
