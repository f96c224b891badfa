# The database password, rotated every 30 days by a Lambda function.
aws iam create-role --role-name prod-rotator \
  --assume-role-policy-document "$(service_trust lambda.amazonaws.com)" >/dev/null
aws secretsmanager create-secret --name prod/db/password \
  --secret-string '{"username":"app","password":"production-only-value-2"}' >/dev/null
rotation_function prod-rotate-db prod-rotator
aws secretsmanager rotate-secret --secret-id prod/db/password \
  --rotation-lambda-arn "arn:aws:lambda:us-east-1:${ACCOUNT}:function:prod-rotate-db" \
  --rotation-rules AutomaticallyAfterDays=30 >/dev/null
