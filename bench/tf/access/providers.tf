terraform {
  required_providers {
    cerby = { source = "cerby-community/cerby" }
  }
}
