# One state of an infra repository: the connections of one OpenHEXA workspace.
# The CI files beside this directory (github-actions.yml, gitlab-ci.yml) plan it on
# pull/merge requests and apply it on the main branch; .terraform.lock.hcl is committed
# next to this file (see the guide "Using the provider in an infra repo").
terraform {
  required_providers {
    openhexa = {
      source  = "blsq/openhexa"
      version = "~> 0.4"
    }
  }

  # The state is shared by every run of CI: a remote backend with locking. Any backend
  # works; use_lockfile needs OpenTofu 1.10 or Terraform 1.10 and later.
  backend "s3" {
    bucket       = "example-infra-state"
    key          = "openhexa/production.tfstate"
    region       = "eu-west-1"
    use_lockfile = true
  }
}

# url, token and workspace come from OPENHEXA_URL, OPENHEXA_TOKEN (a CI secret) and
# OPENHEXA_WORKSPACE, set by the CI job.
provider "openhexa" {}

# Fails the plan early, with a clear message, when the token lost access to the
# workspace (it is not visible) or may no longer manage its connections.
data "openhexa_workspace" "current" {
  lifecycle {
    postcondition {
      condition     = self.can_manage_connections
      error_message = "The CI token may not manage connections in ${self.slug}: give its user the EDITOR or ADMIN role."
    }
  }
}

resource "openhexa_postgres_connection" "warehouse" {
  name        = "Malaria data warehouse"
  description = "Read-only access to the reporting schema."
  host        = "warehouse.example.org"
  db_name     = "malaria"
  username    = "report_reader"
  password_wo = var.warehouse_password
  # Bump to send a rotated password; the value itself never enters plan or state.
  password_wo_version = 1
}

variable "warehouse_password" {
  description = "From the CI secret TF_VAR_warehouse_password."
  type        = string
  sensitive   = true
  ephemeral   = true
}

output "can_manage_connections" {
  value = data.openhexa_workspace.current.can_manage_connections
}
