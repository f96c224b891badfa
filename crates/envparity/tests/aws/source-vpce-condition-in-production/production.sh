# Production only lets the same reads through its VPC endpoint.
app_role prod-app data-access '{"Version":"2012-10-17","Statement":[
  {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::prod-data/*",
   "Condition":{"StringEquals":{"aws:SourceVpce":"vpce-0a1b2c3d4e5f60718"}}}]}'
