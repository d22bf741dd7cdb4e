#!/usr/bin/env bash
# Installs the brokers the integration tests start on 127.0.0.1 (Debian packages); safe to rerun.
set -euo pipefail
need=()
[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || need+=(rabbitmq-server)
if [ ${#need[@]} -eq 0 ]; then echo "integration dependencies already installed"; exit 0; fi
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${need[@]}"
# The package starts a system broker on the default ports; the tests run their own, so stop it.
if command -v systemctl >/dev/null && systemctl is-active --quiet rabbitmq-server 2>/dev/null; then $SUDO systemctl stop rabbitmq-server || true; fi
