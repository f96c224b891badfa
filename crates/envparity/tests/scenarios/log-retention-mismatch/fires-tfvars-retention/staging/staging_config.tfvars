env = "staging"
log_retention_period_days = 14
