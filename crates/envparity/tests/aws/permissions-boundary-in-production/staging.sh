# Staging's app role reads and writes its bucket's objects; no permissions boundary.
app_role stg-app data-access '{"Version":"2012-10-17","Statement":[
  {"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::stg-data/*"}]}'
