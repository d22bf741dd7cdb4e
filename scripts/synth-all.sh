#!/usr/bin/env bash
# Synthesizes every environment in config/ offline; fails on the first invalid one.
set -euo pipefail
cd "$(dirname "$0")/.."
export CDK_DISABLE_VERSION_CHECK=1 CDK_DISABLE_CLI_TELEMETRY=1
for file in config/*.json; do
  stage=$(basename "$file" .json)
  [ "$stage" = schema ] && continue
  echo "== cdk synth -c stage=$stage"
  npx cdk synth -c "stage=$stage" -q -o "cdk.out.$stage"
done
