# Staging's app role may do anything in S3 on its bucket's objects.
app_role stg-app data-access '{"Version":"2012-10-17","Statement":[
  {"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::stg-data/*"}]}'
