#!/usr/bin/env bash
# Builds the installable packages of the designer with Tauri's bundler, in release mode
# ([profile.release] in Cargo.toml): a .deb, and with --appimage an AppImage too.
# `--debug` packages the debug build instead (what the end-to-end suite already compiled, so
# the test command pays for no release build; the package's layout is the same).
# `--check` then installs the .deb with apt-get, runs the installed binary under Xvfb through
# WebDriver (ui/e2e/package.mjs: journey list; the shipped sample opens and, against the bundled
# catalog, its one problem is its segment, which a first contacts import makes; quit) and
# removes the package again. Needs root (or sudo).
# The packages carry the icons, a desktop entry, the sample catalog (the app's default catalog)
# and the version of the Cargo workspace. They land in target/{release,debug}/bundle/{deb,appimage}/;
# the path of each one is printed last.
#
# The AppImage needs linuxdeploy and its plugins, which Tauri's bundler downloads from GitHub:
# where only the package registries are reachable it fails (see docs/packaging.md).
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${SWITCHBOARD_SKIP_SETUP:-}" = 1 ] || scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"

bundles=deb
check=0
profile=release
for arg in "$@"; do
  case "$arg" in
    --appimage) bundles=deb,appimage ;;
    --check) check=1 ;;
    --debug) profile=debug ;;
    *) echo "usage: scripts/package.sh [--appimage] [--check] [--debug]" >&2; exit 2 ;;
  esac
done
flags=(); [ "$profile" = debug ] && flags=(--debug)

# The UI first: the release binary embeds ui/dist (beforeBuildCommand would do it too, but
# from the folder the CLI was started in, which differs between Tauri versions).
(cd ui && npm run build)
out="target/$profile/bundle"
rm -rf "$out/deb" "$out/appimage"
(cd ui && npm run tauri -- build "${flags[@]}" --ci --bundles "$bundles" --config '{"build":{"beforeBuildCommand":""}}' -- --locked)

found=0
for f in "$out"/deb/*.deb "$out"/appimage/*.AppImage; do
  [ -f "$f" ] || continue
  found=1
  printf '%s\t%s bytes\n' "$f" "$(stat -c %s "$f")"
done
[ "$found" = 1 ] || { echo "package: no package was built" >&2; exit 1; }
[ "$check" = 1 ] || exit 0

deb=$(ls "$out"/deb/*.deb)
name=$(dpkg-deb -f "$deb" Package)
S=; [ "$(id -u)" -eq 0 ] || S=sudo
if dpkg-query -W -f='${Status}' "$name" 2>/dev/null | grep -q "ok installed"; then
  echo "package: $name is already installed here; remove it first (apt-get remove $name)" >&2
  exit 1
fi
home=$(mktemp -d)
cleanup() {
  $S env DEBIAN_FRONTEND=noninteractive apt-get remove -y -q "$name" >/dev/null || true
  rm -rf "$home"
}
trap cleanup EXIT
$S env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "./$deb"
bin=$(dpkg -L "$name" | grep -m1 '^/usr/bin/')
desktop=$(dpkg -L "$name" | grep -m1 '\.desktop$')
catalog=$(dpkg -L "$name" | grep -m1 '/catalog\.json$')
for f in "$bin" "$desktop" "$catalog"; do
  [ -n "$f" ] && [ -f "$f" ] || { echo "package: the .deb lacks the binary, desktop entry or catalog" >&2; exit 1; }
done
grep -q "^Exec=$(basename "$bin")" "$desktop" || { echo "package: $desktop does not start $bin" >&2; exit 1; }
echo "package: installed $bin, $desktop, $catalog"
# A fresh data folder, so the installed app starts as on a new machine.
(cd ui && XDG_DATA_HOME="$home" xvfb-run -a -s "-screen 0 1280x800x24" node e2e/package.mjs "$bin" e2e/out/12-sample.png)
cleanup
trap - EXIT
if dpkg-query -W -f='${Status}' "$name" 2>/dev/null | grep -q "ok installed" || [ -e "$bin" ]; then
  echo "package: $name is still installed after apt-get remove" >&2
  exit 1
fi
echo "package: removed $name"
