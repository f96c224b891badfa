# One inline policy: reads (by wildcard, plus a read it already covers) and writes in one
# statement, listing, and sending to the job queue.
app_role stg-app app-access '{"Version":"2012-10-17","Statement":[
  {"Effect":"Allow","Action":["s3:Get*","s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::stg-data/*"},
  {"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::stg-data"},
  {"Effect":"Allow","Action":"sqs:Send*","Resource":"arn:aws:sqs:us-east-1:111111111111:stg-jobs"}]}'

# Mirrored on both sides: a rotated secret, a logging trail, a private web group.
aws iam create-role --role-name stg-rotator \
  --assume-role-policy-document "$(service_trust lambda.amazonaws.com)" >/dev/null
aws secretsmanager create-secret --name stg/db/password \
  --secret-string '{"username":"app","password":"staging-only-value-3"}' >/dev/null
rotation_function stg-rotate-db stg-rotator
aws secretsmanager rotate-secret --secret-id stg/db/password \
  --rotation-lambda-arn "arn:aws:lambda:us-east-1:${ACCOUNT}:function:stg-rotate-db" \
  --rotation-rules AutomaticallyAfterDays=30 >/dev/null
aws s3api create-bucket --bucket stg-audit-logs >/dev/null
aws cloudtrail create-trail --name stg-audit --s3-bucket-name stg-audit-logs \
  --is-multi-region-trail --enable-log-file-validation --include-global-service-events >/dev/null
aws cloudtrail start-logging --name stg-audit
group=$(aws ec2 create-security-group --group-name stg-web --description "web tier" \
  --query GroupId --output text)
aws ec2 authorize-security-group-ingress --group-id "$group" \
  --ip-permissions 'IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=10.0.0.0/8}]' >/dev/null
