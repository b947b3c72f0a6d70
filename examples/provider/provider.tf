terraform {
  required_providers {
    openhexa = {
      source = "registry.opentofu.org/blsq/openhexa"
    }
  }
}

variable "openhexa_token" {
  type      = string
  sensitive = true
}

# url, token and workspace may also come from the environment: OPENHEXA_URL,
# OPENHEXA_TOKEN and OPENHEXA_WORKSPACE (or the SDK's HEXA_SERVER_URL, HEXA_TOKEN
# and HEXA_WORKSPACE).
provider "openhexa" {
  url       = "https://api.openhexa.org"
  token     = var.openhexa_token
  workspace = "malaria-surveillance"
}
