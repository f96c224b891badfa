env                  = "staging"
log_retention_days   = 7
waf_enabled          = false
api_endpoint         = "https://api.staging.example.com"
tags = {
  owner = "platform"
}
