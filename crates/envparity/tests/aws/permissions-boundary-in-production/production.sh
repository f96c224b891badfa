# Production grants the same, but its permissions boundary only lets reads through.
app_role prod-app data-access '{"Version":"2012-10-17","Statement":[
  {"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::prod-data/*"}]}'
aws iam create-policy --policy-name prod-read-only-boundary --policy-document \
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":"*"}]}' \
  >/dev/null
aws iam put-role-permissions-boundary --role-name prod-app \
  --permissions-boundary "arn:aws:iam::${ACCOUNT}:policy/prod-read-only-boundary"
