# The same permissions, written differently: a customer-managed policy plus an inline one,
# statements reordered and split, string versus list forms, no redundant read.
app_role prod-app object-access '{"Version":"2012-10-17","Statement":[
  {"Effect":"Allow","Action":["s3:PutObject"],"Resource":["arn:aws:s3:::prod-data/*"]},
  {"Effect":"Allow","Action":"s3:Get*","Resource":"arn:aws:s3:::prod-data/*"}]}'
aws iam create-policy --policy-name prod-app-queue-and-list --policy-document \
  '{"Version":"2012-10-17","Statement":[
    {"Sid":"Queue","Effect":"Allow","Action":["sqs:Send*"],"Resource":["arn:aws:sqs:us-east-1:222222222222:prod-jobs"]},
    {"Sid":"List","Effect":"Allow","Action":["s3:ListBucket"],"Resource":"arn:aws:s3:::prod-data"}]}' \
  >/dev/null
aws iam attach-role-policy --role-name prod-app \
  --policy-arn "arn:aws:iam::${ACCOUNT}:policy/prod-app-queue-and-list"

# Mirrored on both sides: a rotated secret, a logging trail, a private web group.
aws iam create-role --role-name prod-rotator \
  --assume-role-policy-document "$(service_trust lambda.amazonaws.com)" >/dev/null
aws secretsmanager create-secret --name prod/db/password \
  --secret-string '{"username":"app","password":"production-only-value-4"}' >/dev/null
rotation_function prod-rotate-db prod-rotator
aws secretsmanager rotate-secret --secret-id prod/db/password \
  --rotation-lambda-arn "arn:aws:lambda:us-east-1:${ACCOUNT}:function:prod-rotate-db" \
  --rotation-rules AutomaticallyAfterDays=30 >/dev/null
aws s3api create-bucket --bucket prod-audit-logs >/dev/null
aws cloudtrail create-trail --name prod-audit --s3-bucket-name prod-audit-logs \
  --is-multi-region-trail --enable-log-file-validation --include-global-service-events >/dev/null
aws cloudtrail start-logging --name prod-audit
group=$(aws ec2 create-security-group --group-name prod-web --description "web tier" \
  --query GroupId --output text)
aws ec2 authorize-security-group-ingress --group-id "$group" \
  --ip-permissions 'IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=10.0.0.0/8}]' >/dev/null
