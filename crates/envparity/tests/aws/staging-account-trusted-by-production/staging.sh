# Staging's deployer role is assumed by EC2 only.
app_role stg-deployer deploy '{"Version":"2012-10-17","Statement":[
  {"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::stg-artifacts/*"}]}'
