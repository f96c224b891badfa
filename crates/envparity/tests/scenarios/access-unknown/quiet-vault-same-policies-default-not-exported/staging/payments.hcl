# Payments service secrets in staging.
path "secret/data/staging/payments/*" {
  capabilities = ["create", "read", "update", "patch", "delete"]
}

path "secret/metadata/staging/payments/*" {
  capabilities = ["list"]
}
