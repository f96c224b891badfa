# Payments service secrets in staging.
path "secret/data/staging/payments/*" {
  capabilities = ["create", "read", "update", "patch", "delete"]
}

path "sys/leases/lookup" {
  capabilities = ["update"]
}
