#!/usr/bin/env bash
# Installs what `npm run test:integration` needs: Debian's rabbitmq-server and activemq
# (which pulls in a JRE), openssl for the throwaway CA, and slapd (OpenLDAP) with ldap-utils for
# the ActiveMQ LDAP tests. Idempotent: does nothing when
# everything is present. The packages' own services are not used; the tests start private
# brokers on 127.0.0.1 themselves.
set -euo pipefail

need=()
[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || need+=(rabbitmq-server)
[ -f /usr/share/activemq/bin/activemq.jar ] || need+=(activemq)
command -v java >/dev/null 2>&1 || need+=(activemq)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
[ -x /usr/sbin/slapd ] || need+=(slapd)
[ -x /usr/sbin/slapadd ] || need+=(slapd)
command -v ldapsearch >/dev/null 2>&1 || need+=(ldap-utils)

if [ ${#need[@]} -eq 0 ]; then
  echo "integration deps already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
mapfile -t pkgs < <(printf '%s\n' "${need[@]}" | sort -u)
echo "installing: ${pkgs[*]}"
$SUDO apt-get update
# slapd: no default directory and no questions; the tests run their own slapd on 127.0.0.1.
if printf '%s\n' "${pkgs[@]}" | grep -qx slapd; then
  echo "slapd slapd/no_configuration boolean true" | $SUDO debconf-set-selections
fi
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y "${pkgs[@]}"
# The package may start a system broker on the default ports; the tests run their own, so stop it.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet rabbitmq-server 2>/dev/null; then $SUDO systemctl stop rabbitmq-server || true; fi
