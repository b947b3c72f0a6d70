# The environment variables OpenHEXA defines for a connection, plus the type that the
# OpenHEXA SDK needs to read them in a local run: for slug "my-dhis2", MY_DHIS2 (the
# type), MY_DHIS2_URL, MY_DHIS2_USERNAME, MY_DHIS2_PASSWORD and MY_DHIS2_API_URL (an
# older name of the URL that OpenHEXA keeps).
output "local_run_env" {
  value = provider::openhexa::env_vars("my-dhis2", "dhis2", {
    url      = "https://play.dhis2.org/40"
    username = "admin"
    password = "district"
  })
  sensitive = true
}
