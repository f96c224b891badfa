# Production grants the same, then denies deletes explicitly.
app_role prod-app data-access '{"Version":"2012-10-17","Statement":[
  {"Effect":"Allow","Action":["s3:GetObject","s3:PutObject","s3:DeleteObject"],
   "Resource":"arn:aws:s3:::prod-data/*"},
  {"Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"}]}'
