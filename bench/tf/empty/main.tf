# Terraform's own cost: a plan with no provider at all.
terraform {}
