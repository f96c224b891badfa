# The database password and the rotation function's role; rotation is never switched on.
aws iam create-role --role-name stg-rotator \
  --assume-role-policy-document "$(service_trust lambda.amazonaws.com)" >/dev/null
aws secretsmanager create-secret --name stg/db/password \
  --secret-string '{"username":"app","password":"staging-only-value-1"}' >/dev/null
