#!/usr/bin/env bash
# env.sh SCRIPT ACCOUNT OUT: seeds one account of moto with a scenario script, then dumps it.
# The test driver calls it once per environment; AWS_ENDPOINT_URL must point at moto.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"
export AWS_DEFAULT_REGION=${AWS_DEFAULT_REGION:-us-east-1} AWS_PAGER=""
as_account "$2"
# shellcheck disable=SC1090
source "$1"
dump_environment "$3"
