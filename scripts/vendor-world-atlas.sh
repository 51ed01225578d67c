#!/usr/bin/env bash
# Vendor the world map: Natural Earth 1:110m country shapes (public domain) as TopoJSON, from the npm package
# world-atlas (ISC). The file is committed, so running the platform needs neither Node.js nor the network.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=2.0.2
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm pack --silent "world-atlas@$VERSION" >/dev/null && tar xzf "world-atlas-$VERSION.tgz")
cp "$WORK/package/countries-110m.json" src/convergence/insights/data/countries-110m.json
cp "$WORK/package/LICENSE" src/convergence/insights/data/world-atlas-LICENSE
echo "world-atlas $VERSION vendored: $(sha256sum src/convergence/insights/data/countries-110m.json)"
