terraform {
  required_providers {
    cerby = {
      source = "cerby-community/cerby"
    }
  }
}

# The API key comes from CERBY_API_KEY; never write a credential in a .tf file.
provider "cerby" {
  workspace = "acme" # optional, or CERBY_WORKSPACE

  # Retry tuning for large workspaces or busy periods.
  max_retries         = 8
  max_retry_wait      = "2m"
  request_timeout     = "30s"
  requests_per_second = 2
}
