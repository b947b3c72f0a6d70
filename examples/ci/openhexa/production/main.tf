# One state of an infra repository: the connections of one OpenHEXA workspace.
# The CI files beside this directory (github-actions.yml, gitlab-ci.yml) plan it on
# pull/merge requests with a VIEWER's token and no secret, and apply it on the default
# branch with a write token; .terraform.lock.hcl is committed next to this file (see the
# guide "Using the provider in an infra repo").
terraform {
  required_providers {
    openhexa = {
      source  = "registry.opentofu.org/blsq/openhexa" # one lock file entry for both CLIs
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

# Each state names its own workspace, so that a CI job needs only the URL and a token
# (OPENHEXA_URL, OPENHEXA_TOKEN).
provider "openhexa" {
  workspace = "malaria-surveillance"
}

variable "read_only_plan" {
  description = "True in the pull-request plan job, whose token is a VIEWER's; false wherever the plan may be applied."
  type        = bool
  default     = false
}

# Fails a plan that is meant to be applied early, with a clear message, when the token
# lost access to the workspace (it is not visible) or may no longer manage its connections.
data "openhexa_workspace" "current" {
  lifecycle {
    postcondition {
      condition     = var.read_only_plan || self.can_manage_connections
      error_message = "The token may not manage connections in ${self.slug}: the apply job needs a token whose user has the EDITOR or ADMIN role."
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
  # Bump to send a rotated password; the value itself never enters plan or state, and
  # a plan compares only the version, so a plan job needs no secret.
  password_wo_version = 1
}

variable "warehouse_password" {
  description = "Set by the apply job only (TF_VAR_warehouse_password, from a secret of its environment)."
  type        = string
  sensitive   = true
  ephemeral   = true
  default     = null

  # CI expands a secret it does not have to "", which would be sent as the password.
  validation {
    condition     = var.warehouse_password != ""
    error_message = "The warehouse password is empty: give the apply job's environment the secret WAREHOUSE_PASSWORD."
  }
}
