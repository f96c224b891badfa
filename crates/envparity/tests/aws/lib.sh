# lib.sh: shared helpers of the AWS scenario suite (sourced by env.sh, never run alone).
#
# `dump_environment` runs the commands a user runs against each real account to produce the
# inputs of `envparity compare` (one file per command, named after it):
#   aws iam get-account-authorization-details --filter Role User Group LocalManagedPolicy
#   aws secretsmanager list-secrets
#   aws ec2 describe-security-groups
#   aws iam generate-credential-report; aws iam get-credential-report (decoded to CSV)
#   aws cloudtrail describe-trails, then per trail get-trail-status and get-event-selectors
#     (the status output names no trail: the file name carries it)
# The suite runs them with the real AWS CLI against moto. AWS-managed policies are left out
# of the IAM dump (1,400+ of them); the scenarios attach customer-managed policies only.
#
# Needs: AWS_ENDPOINT_URL (moto on loopback), AWS_DEFAULT_REGION.

# Switches the shell to one account: moto routes a request to the account whose STS
# credentials signed it, so assuming any role ARN of that account is enough (the role does not
# need to exist). Real accounts work the same way with a real role.
as_account() {
  local account=$1 creds
  creds=$(AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_SESSION_TOKEN= \
    aws sts assume-role --role-arn "arn:aws:iam::${account}:role/envparity-seed" \
    --role-session-name envparity-seed \
    --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text)
  read -r AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN <<<"$creds"
  export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN
  ACCOUNT=$account
  export ACCOUNT
}

# A Lambda function for secret rotation (rotate-secret needs one); its role must exist and
# trust lambda.amazonaws.com. Usage: rotation_function NAME ROLE-NAME
rotation_function() {
  local dir
  dir=$(mktemp -d)
  printf 'def handler(event, context):\n    return {}\n' >"$dir/rot.py"
  (cd "$dir" && python3 -c "import zipfile; z = zipfile.ZipFile('rot.zip', 'w'); z.write('rot.py'); z.close()")
  aws lambda create-function --function-name "$1" --runtime python3.12 \
    --role "arn:aws:iam::${ACCOUNT}:role/$2" --handler rot.handler \
    --zip-file "fileb://$dir/rot.zip" >/dev/null
  rm -rf "$dir"
}

# Every dump envparity reads, written into $1 (created). The independent calls run
# concurrently (each `aws` process spends most of its time starting up); any failure fails.
dump_environment() {
  local out=$1 trail pid failed=0
  local -a pids=()
  mkdir -p "$out"
  aws iam get-account-authorization-details --filter Role User Group LocalManagedPolicy \
    >"$out/get-account-authorization-details.json" &
  pids+=($!)
  aws secretsmanager list-secrets >"$out/list-secrets.json" &
  pids+=($!)
  aws ec2 describe-security-groups >"$out/describe-security-groups.json" &
  pids+=($!)
  {
    aws iam generate-credential-report >/dev/null &&
      aws iam get-credential-report --query Content --output text | base64 -d \
        >"$out/credential-report.csv"
  } &
  pids+=($!)
  aws cloudtrail describe-trails >"$out/describe-trails.json"
  for trail in $(python3 -c 'import json, sys
for t in json.load(sys.stdin)["trailList"]: print(t["Name"])' <"$out/describe-trails.json"); do
    aws cloudtrail get-trail-status --name "$trail" >"$out/get-trail-status-$trail.json" &
    pids+=($!)
    aws cloudtrail get-event-selectors --trail-name "$trail" \
      >"$out/get-event-selectors-$trail.json" &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do
    wait "$pid" || failed=1
  done
  return "$failed"
}

# The trust policy of a role assumed by an AWS service: service_trust ec2.amazonaws.com
service_trust() {
  printf '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"%s"},"Action":"sts:AssumeRole"}]}' "$1"
}

# A role trusted by EC2 with one inline policy: app_role NAME POLICY-NAME POLICY-JSON
app_role() {
  aws iam create-role --role-name "$1" \
    --assume-role-policy-document "$(service_trust ec2.amazonaws.com)" >/dev/null
  aws iam put-role-policy --role-name "$1" --policy-name "$2" --policy-document "$3"
}
