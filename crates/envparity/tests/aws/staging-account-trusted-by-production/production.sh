# Production's deployer role may also be assumed from the staging account.
aws iam create-role --role-name prod-deployer --assume-role-policy-document \
  '{"Version":"2012-10-17","Statement":[
    {"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"},
    {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole"}]}' \
  >/dev/null
aws iam put-role-policy --role-name prod-deployer --policy-name deploy --policy-document \
  '{"Version":"2012-10-17","Statement":[
    {"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::prod-artifacts/*"}]}'
