# Payments service: its own secrets, and the database credentials it leases.
path "secret/data/payments/*" {
  capabilities = ["create", "read", "update", "patch", "delete"]
}

path "secret/metadata/payments/*" {
  capabilities = ["list"]
}

path "database/creds/payments" {
  policy = "read"
}

path "pki/issue/payments" {
  capabilities = ["update"]
  allowed_parameters = {
    "common_name" = ["payments.svc.cluster.local"]
    "ttl"         = []
  }
  max_wrapping_ttl = "5m"
}

path "secret/data/payments/admin" {
  capabilities = ["deny"]
}

path "sys/leases/+/database/creds/payments/*" {
  capabilities = ["update"]
}
