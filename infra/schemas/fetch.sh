#!/bin/sh
# Refreshes the schemas the infra tests validate against, from their published sources.
# Run where GitHub is reachable, from the repository root: sh infra/schemas/fetch.sh
set -eu
cd "$(dirname "$0")"
raw=https://raw.githubusercontent.com
curl -fsSL -o compose-spec.json "$raw/compose-spec/compose-spec/master/schema/compose-spec.json"
mkdir -p k8s-1.31
for kind in deployment-apps-v1 service-v1 poddisruptionbudget-policy-v1 \
  networkpolicy-networking-k8s-io-v1 configmap-v1 ingress-networking-k8s-io-v1 \
  persistentvolumeclaim-v1; do
  curl -fsSL -o "k8s-1.31/$kind.json" \
    "$raw/yannh/kubernetes-json-schema/master/v1.31.0-standalone-strict/$kind.json"
done
echo "schemas refreshed; run: npx vitest run --project unit test/infra"
