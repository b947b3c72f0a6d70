# Free fields: a pipeline reads them as attributes of the connection
# (`sms_gateway.base_url`, `sms_gateway.api_key`), so use identifiers as codes.
resource "openhexa_custom_connection" "sms_gateway" {
  name = "SMS gateway"
  slug = "sms-gateway"
  fields = {
    base_url = "https://sms.example.org/v2"
    sender   = "HEXA"
  }
  secret_fields = {
    api_key = var.sms_api_key
  }
}

# Write-only secret fields: never stored in state; bump the version to send them all again.
resource "openhexa_custom_connection" "weather_api" {
  name = "Weather API"
  fields = {
    endpoint = "https://weather.example.org"
  }
  secret_fields_wo = {
    client_id     = var.weather_client_id
    client_secret = var.weather_client_secret
  }
  secret_fields_wo_version = 1
}

variable "sms_api_key" {
  type      = string
  sensitive = true
}

variable "weather_client_id" {
  type      = string
  sensitive = true
  ephemeral = true
}

variable "weather_client_secret" {
  type      = string
  sensitive = true
  ephemeral = true
}
