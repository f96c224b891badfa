# Staging records no CloudTrail trail.
:
