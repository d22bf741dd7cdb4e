#!/usr/bin/env bash
# `npm test`: the type-check and the Jest suites side by side. tsc is single-threaded and Jest's
# workers leave a core idle at the end of a run, so together they finish sooner than one after the
# other. Fails when either fails; arguments go to jest (`npm test -- -u`).
set -uo pipefail
cd "$(dirname "$0")/.."
npx tsc --noEmit &
tsc=$!
npx jest "$@"
jest=$?
wait "$tsc"
typecheck=$?
[ "$typecheck" -ne 0 ] && echo "tsc --noEmit failed (exit $typecheck)" >&2
exit $((jest != 0 ? jest : typecheck))
