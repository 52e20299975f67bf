#!/bin/sh
# Writes the secret files compose mounts (infra/secrets/*), once, readable by their owner only.
# They are ignored by git and by the Docker build context; keep them out of backups you share.
set -eu
cd "$(dirname "$0")"
umask 077
[ -s master_key ] || head -c 32 /dev/urandom | base64 > master_key
[ -s postgres_password ] || head -c 24 /dev/urandom | base64 | tr -d '/+=' > postgres_password
echo "secrets ready in $(pwd)"
