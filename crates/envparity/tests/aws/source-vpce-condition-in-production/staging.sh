# Staging's app role reads its bucket's objects from anywhere.
app_role stg-app data-access '{"Version":"2012-10-17","Statement":[
  {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::stg-data/*"}]}'
