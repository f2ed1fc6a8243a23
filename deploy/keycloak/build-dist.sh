#!/usr/bin/env bash
# Runs Keycloak's build step (kc.sh build) once on the unpacked distribution, with the options Shoal starts it with,
# so `kc.sh start --optimized` never rebuilds at start. Skipped when the distribution was built with these options.
# --cache=local: one Keycloak per stack; the default (ispn) opens JGroups cluster listeners and looks for peers.
set -euo pipefail
DIST="$1"
OPTIONS=(--db=postgres --cache=local --health-enabled=true --metrics-enabled=false --features-disabled=impersonation)
MARKER="$DIST/lib/quarkus/shoal-build-options"
if [ -f "$MARKER" ] && [ "$(cat "$MARKER")" = "${OPTIONS[*]}" ]; then
  exit 0
fi
echo "building Keycloak for PostgreSQL (once, 25-40 s): kc.sh build ${OPTIONS[*]}"
"$DIST/bin/kc.sh" build "${OPTIONS[@]}" > "$DIST/../keycloak-build.log" 2>&1 || { cat "$DIST/../keycloak-build.log"; exit 1; }
echo "${OPTIONS[*]}" > "$MARKER"
