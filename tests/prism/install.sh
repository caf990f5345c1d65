#!/usr/bin/env bash
# Installs the Prism pinned by package-lock.json (beside this script) into <repo>/target/prism/,
# so node_modules never lands in the source tree. Used by tests/src/prism.rs (ensure_installed)
# and by .ci/run; a no-op when target/prism/.installed already equals the lock file.
# Prints the path of Prism's entry point (run it as `node PATH mock ...`) on the last line.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="$(cd "$here/../.." && pwd)/target/prism"
entry="$dir/node_modules/@stoplight/prism-cli/dist/index.js"

for tool in node npm; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "error: '$tool' not found: Prism needs Node.js >= 18.20.1 with npm (Debian: apt-get install -y nodejs npm)" >&2
        exit 1
    fi
done

if ! cmp -s "$here/package-lock.json" "$dir/.installed" || [ ! -f "$entry" ]; then
    mkdir -p "$dir"
    rm -f "$dir/.installed"
    cp "$here/package.json" "$here/package-lock.json" "$dir/"
    echo "installing Prism from tests/prism/package-lock.json into $dir (node $(node --version), npm $(npm --version))" >&2
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) >&2
    version="$(node "$entry" --version)"
    echo "installed Prism $version" >&2
    cp "$here/package-lock.json" "$dir/.installed"
fi
echo "$entry"
