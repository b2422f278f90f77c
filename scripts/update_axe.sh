#!/usr/bin/env bash
# Replace the vendored axe-core (tests/e2e/vendor/) with VERSION from the npm registry,
# after checking the tarball against the integrity hash the registry publishes.
set -euo pipefail
version=${1:?usage: scripts/update_axe.sh VERSION (e.g. 4.14.1)}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
expected=$(npm view "axe-core@$version" dist.integrity 2>/dev/null)
npm pack --silent "axe-core@$version" >/dev/null 2>&1
actual="sha512-$(openssl dgst -sha512 -binary "axe-core-$version.tgz" | base64 -w0)"
if [ "$expected" != "$actual" ]; then
  echo "integrity mismatch for axe-core $version: registry $expected, download $actual" >&2
  exit 1
fi
tar xzf "axe-core-$version.tgz"
cp package/axe.min.js package/LICENSE package/LICENSE-3RD-PARTY.txt "$root/tests/e2e/vendor/"
echo "axe-core $version vendored; integrity $actual"
echo "sha256 of axe.min.js: $(sha256sum package/axe.min.js | cut -d' ' -f1)"
echo "Now update tests/e2e/vendor/README.md and run: pytest -m browser"
