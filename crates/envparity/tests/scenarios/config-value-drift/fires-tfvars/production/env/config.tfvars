env                  = "production"
log_retention_days   = 7
waf_enabled          = true
api_endpoint         = "https://api.production.example.com"
tags = {
  owner = "platform"
}
