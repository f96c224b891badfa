# A logging multi-region trail with log file validation.
aws s3api create-bucket --bucket prod-audit-logs >/dev/null
aws cloudtrail create-trail --name prod-audit --s3-bucket-name prod-audit-logs \
  --is-multi-region-trail --enable-log-file-validation --include-global-service-events >/dev/null
aws cloudtrail start-logging --name prod-audit
