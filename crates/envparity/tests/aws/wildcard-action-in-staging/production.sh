# Production's app role may only read its bucket's objects.
app_role prod-app data-access '{"Version":"2012-10-17","Statement":[
  {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::prod-data/*"}]}'
