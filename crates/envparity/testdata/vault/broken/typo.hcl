path "secret/data/app/*" {
  capabilities = ["read"]
}

path "secret/data/app/config" {
  capabilites = ["read"]
}
