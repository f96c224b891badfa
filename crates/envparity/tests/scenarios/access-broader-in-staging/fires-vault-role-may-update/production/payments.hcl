# Payments service secrets in production.
path "secret/data/production/payments/*" {
  capabilities = ["read"]
}

path "secret/metadata/production/payments/*" {
  capabilities = ["list"]
}
