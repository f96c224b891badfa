# Payments service secrets in staging.
path "secret/data/staging/payments/*" {
  policy = "write"
}
