terraform {
  required_providers {
    cerby = {
      source = "cerby-community/cerby"
    }
  }
}

# The API key comes from CERBY_API_KEY; never write a credential in a .tf file.
# With a workspace and no endpoint, the provider reads the Cerby API at
# https://acme.cerby.com/api/v1.
provider "cerby" {
  workspace = "acme" # or CERBY_WORKSPACE

  # The legacy Read API instead (https://api.cerby.com/v1, the workspace sent
  # as the Cerby-Workspace header), which also takes a bearer token
  # (CERBY_BEARER_TOKEN) in place of the API key:
  # api = "read_api"

  # Retry tuning for large workspaces or busy periods.
  max_retries         = 8
  max_retry_wait      = "2m"
  request_timeout     = "30s"
  requests_per_second = 2
}
