# Payments service secrets in production.
path "secret/data/production/payments/*" {
  capabilities = ["create", "read", "update", "patch", "delete"]
}

path "secret/metadata/production/payments/*" {
  capabilities = ["list"]
}
