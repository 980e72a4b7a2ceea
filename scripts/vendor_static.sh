#!/usr/bin/env bash
# Copy the front-end libraries pinned in package.json into static/vendor/<pkg>-<version>/.
# The app loads them from there (no CDN), so it works offline. Re-run after changing a version
# in package.json and commit package.json, package-lock.json and static/vendor/ together.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
vendor="$repo/static/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cp "$repo/package.json" "$work/"
if [[ -f "$repo/package-lock.json" ]]; then
    cp "$repo/package-lock.json" "$work/"
    (cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
else
    (cd "$work" && npm install --ignore-scripts --no-audit --no-fund --omit-lockfile-registry-resolved --loglevel=error)
    cp "$work/package-lock.json" "$repo/package-lock.json"
fi

nm="$work/node_modules"

# Installed version of a package, checked against the exact pin in package.json.
version_of() {
    node -e '
        const [pkg, work] = process.argv.slice(1);
        const want = require(work + "/package.json").dependencies[pkg];
        const got = require(work + "/node_modules/" + pkg + "/package.json").version;
        if (want !== got) { console.error(`${pkg}: package.json pins ${want}, installed ${got}`); process.exit(1); }
        process.stdout.write(got);
    ' "$1" "$work"
}

# copy PKG FILE... : files are paths inside the package; they land flat in the target
# directory, except that a trailing directory (dist/images) keeps its last path part.
copy() {
    local pkg="$1"; shift
    local ver dest
    ver="$(version_of "$pkg")"
    dest="$vendor/$pkg-$ver"
    rm -rf "$vendor/$pkg"-[0-9]*
    mkdir -p "$dest"
    local f
    for f in "$@"; do
        if [[ -d "$nm/$pkg/$f" ]]; then
            cp -R "$nm/$pkg/$f" "$dest/"
        else
            cp "$nm/$pkg/$f" "$dest/"
        fi
    done
    # Source maps are not vendored: drop the comments pointing at them, so browsers don't
    # request missing files and Django's manifest static storage doesn't fail on them.
    find "$dest" -name '*.js' -exec sed -i -e '/^\/\/# sourceMappingURL=/d' {} +
    echo "$pkg $ver" >>"$work/versions"
}

copy htmx.org dist/htmx.min.js LICENSE
copy alpinejs dist/cdn.min.js
copy chart.js dist/chart.umd.min.js LICENSE.md
copy leaflet dist/leaflet.js dist/leaflet.css dist/images LICENSE

# The alpinejs npm package ships no LICENSE file; its package.json says MIT.
alpine_dir="$vendor/alpinejs-$(version_of alpinejs)"
if [[ ! -e "$alpine_dir/LICENSE" ]]; then
    license="$(node -p 'require(process.argv[1]).license' "$nm/alpinejs/package.json")"
    [[ "$license" == "MIT" ]] || { echo "alpinejs license is now '$license', check it" >&2; exit 1; }
    cat >"$alpine_dir/LICENSE" <<'LIC'
MIT License

Copyright © 2019-2021 Caleb Porzio and contributors

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
LIC
fi

# A record of what is vendored, with checksums, so a change shows up in review.
{
    echo "# Written by scripts/vendor_static.sh; do not edit."
    sort "$work/versions"
    echo
    (cd "$vendor" && find . -type f ! -name VERSIONS.txt | sed 's|^\./||' | LC_ALL=C sort | xargs sha256sum)
} >"$vendor/VERSIONS.txt"

echo "Vendored into $vendor:"
sort "$work/versions" | sed 's/^/  /'
