# The app role, plus a load-test role production does not have.
app_role stg-app data-access '{"Version":"2012-10-17","Statement":[
  {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::stg-data/*"}]}'
app_role stg-loadtest load '{"Version":"2012-10-17","Statement":[
  {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::stg-data/*"}]}'
