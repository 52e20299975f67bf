#!/bin/sh
# Writes the secret files compose mounts (infra/secrets/*), once, readable by their owner only.
# They are ignored by git and by the Docker build context; keep them out of backups you share.
set -eu
cd "$(dirname "$0")"
umask 077
# The master key is named (<id>:<base64 of 32 bytes>), so that a rotation can tell keys apart.
[ -s master_key ] || printf 'master-1:%s\n' "$(head -c 32 /dev/urandom | base64)" > master_key
[ -s postgres_password ] || head -c 24 /dev/urandom | base64 | tr -d '/+=' > postgres_password
[ -s blind_index_key ] || head -c 32 /dev/urandom | base64 > blind_index_key
[ -s audit_digest_key ] || openssl genpkey -algorithm ed25519 -out audit_digest_key
# erasure_token_<service>: short-lived service tokens (role admin) from your identity provider,
# renewed by its agent; this script cannot mint them. Until they exist, set ERASURE_INTERVAL_MS=0
# and have the data-protection officer confirm erasures by hand.
echo "secrets ready in $(pwd)"
