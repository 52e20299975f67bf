#!/bin/sh
# Writes the secret files compose mounts (infra/secrets/*), once. Compose mounts them as they are
# (file secrets keep their owner and mode), so each is made readable by the user the services run
# as, the image's `node` (uid and gid 1000; WAYPOINT_UID / WAYPOINT_GID to change), and by no one
# else: mode 0440, owned by that user (run as root), or by you when you are that user.
# They are ignored by git and by the Docker build context; keep them out of backups you share.
set -eu
cd "$(dirname "$0")"
SERVICE_UID="${WAYPOINT_UID:-1000}"
SERVICE_GID="${WAYPOINT_GID:-1000}"
if [ "$(id -u)" -ne 0 ] && [ "$(id -u)" -ne "$SERVICE_UID" ]; then
  echo "run as root (sudo) or as uid $SERVICE_UID: the services (uid $SERVICE_UID) must read these files" >&2
  exit 1
fi
umask 077
# The master key is named (<id>:<base64 of 32 bytes>), so that a rotation can tell keys apart.
[ -s master_key ] || printf 'master-1:%s\n' "$(head -c 32 /dev/urandom | base64)" > master_key
[ -s postgres_password ] || head -c 24 /dev/urandom | base64 | tr -d '/+=' > postgres_password
[ -s key_store_password ] || head -c 24 /dev/urandom | base64 | tr -d '/+=' > key_store_password
[ -s blind_index_key ] || head -c 32 /dev/urandom | base64 > blind_index_key
[ -s audit_digest_key ] || openssl genpkey -algorithm ed25519 -out audit_digest_key
# The bearer secret /metrics asks for (the services refuse one under 16 characters); Prometheus
# reads the same file (authorization.credentials_file, infra/README.md).
[ -s metrics_credential ] || head -c 32 /dev/urandom | base64 | tr -d '/+=\n' > metrics_credential
# erasure_token_<service>: short-lived service tokens (role admin) from your identity provider,
# written and renewed by its agent; this script cannot mint them, so it makes them empty (compose
# refuses to start with a secret file missing). The erasure duty stays off until they hold tokens:
# then set WAYPOINT_ERASURE_INTERVAL_MS=60000. Until then the data-protection officer confirms
# each service's purge through the API (docs/operations.md).
for service in shelter care legal reintegration journey audit analytics; do
  [ -e "erasure_token_$service" ] || : > "erasure_token_$service"
done
for file in master_key postgres_password key_store_password blind_index_key audit_digest_key \
  metrics_credential erasure_token_shelter erasure_token_care erasure_token_legal erasure_token_reintegration \
  erasure_token_journey erasure_token_audit erasure_token_analytics; do
  [ "$(id -u)" -eq 0 ] && chown "$SERVICE_UID:$SERVICE_GID" "$file"
  chmod 0440 "$file"
done
echo "secrets ready in $(pwd)"
