# Payments service secrets in production.
path "secret/data/production/payments/*" {
  capabilities = ["list", "delete", "update", "read", "create"]
}
