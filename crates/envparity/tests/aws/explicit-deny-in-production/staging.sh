# Staging's app role reads, writes and deletes its bucket's objects.
app_role stg-app data-access '{"Version":"2012-10-17","Statement":[
  {"Effect":"Allow","Action":["s3:GetObject","s3:PutObject","s3:DeleteObject"],
   "Resource":"arn:aws:s3:::stg-data/*"}]}'
