env = "production"
log_retention_period_days = 365
