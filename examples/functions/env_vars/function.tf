# The environment variables the OpenHEXA SDK reads in a local run instead of asking
# the server: for slug "my-dhis2", MY_DHIS2 (the type) and MY_DHIS2_URL,
# MY_DHIS2_USERNAME, MY_DHIS2_PASSWORD.
output "local_run_env" {
  value = provider::openhexa::env_vars("my-dhis2", "dhis2", {
    url      = "https://play.dhis2.org/40"
    username = "admin"
    password = "district"
  })
  sensitive = true
}
