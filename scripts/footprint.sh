#!/usr/bin/env bash
# Measures what the designer costs a machine (BENCHMARKS.md, "Footprint"): the .deb's size, its
# installed size and the binary's; start time to the journey list and to a 100-tile canvas;
# memory (PSS and RSS) of the whole process tree after 60 s idle and with a 1,000-tile journey
# open — each against a bare Tauri window of the same size, built here from the workspace's
# Cargo.lock (the same tauri and wry) and [profile.release], and measured in the same run.
# Needs the .deb of scripts/package.sh (built first when missing). Results: target/footprint.json.
# Env: FOOTPRINT_RUNS (5), FOOTPRINT_IDLE_S (60).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export PATH="$HOME/.cargo/bin:$PATH"

deb=$(ls target/release/bundle/deb/*.deb 2>/dev/null | head -1 || true)
[ -n "$deb" ] || { scripts/package.sh; deb=$(ls target/release/bundle/deb/*.deb | head -1); }
app=target/release/switchboard

kib() { echo $(( ($1 + 1023) / 1024 )); }
echo "== sizes"
printf '.deb                 %8s KiB  %s\n' "$(kib "$(stat -c %s "$deb")")" "$deb"
printf 'installed (dpkg)     %8s KiB\n' "$(dpkg-deb -f "$deb" Installed-Size)"
printf 'binary (stripped)    %8s KiB\n' "$(kib "$(stat -c %s "$app")")"
for f in target/release/bundle/appimage/*.AppImage; do
  [ -f "$f" ] && printf 'AppImage             %8s KiB  %s\n' "$(kib "$(stat -c %s "$f")")" "$f"
done

echo "== a bare Tauri window from the same pins"
bare=target/bare-tauri
mkdir -p "$bare/src" "$bare/dist" "$bare/icons"
cp src-tauri/icons/32x32.png src-tauri/icons/128x128.png src-tauri/icons/icon.png "$bare/icons/"
cp Cargo.lock "$bare/Cargo.lock"
tauri_req=$(grep -E '^tauri = ' src-tauri/Cargo.toml)
build_req=$(grep -E '^tauri-build = ' src-tauri/Cargo.toml)
{
  printf '[package]\nname = "bare-tauri"\nversion = "0.1.0"\nedition = "2024"\npublish = false\n\n'
  printf '[build-dependencies]\n%s\n\n[dependencies]\n%s\n\n[workspace]\n\n' "$build_req" "$tauri_req"
  sed -n '/^\[profile\.release\]/,/^\[/p' Cargo.toml | sed '$!b; /^\[/d'
} > "$bare/Cargo.toml"
cat > "$bare/build.rs" <<'EOF'
fn main() {
    tauri_build::build();
}
EOF
cat > "$bare/src/main.rs" <<'EOF'
fn main() {
    tauri::Builder::default()
        .run(tauri::generate_context!())
        .expect("the bare window runs");
}
EOF
cat > "$bare/dist/index.html" <<'EOF'
<!doctype html><html><head><meta charset="utf-8"><title>bare</title></head>
<body><p>bare Tauri window</p></body></html>
EOF
cat > "$bare/tauri.conf.json" <<'EOF'
{
  "productName": "bare-tauri",
  "version": "0.1.0",
  "identifier": "com.switchboard.bare-tauri",
  "build": { "frontendDist": "dist" },
  "app": { "windows": [{ "title": "bare", "width": 1280, "height": 800 }] },
  "bundle": { "active": false, "icon": ["icons/32x32.png", "icons/128x128.png", "icons/icon.png"] }
}
EOF
(cd "$bare" && CARGO_TARGET_DIR="$root/target" cargo build --release --features tauri/custom-protocol)
# Same pins: the bare lock must name the workspace's tauri and wry.
for crate in tauri wry webkit2gtk; do
  want=$(grep -A1 "^name = \"$crate\"$" Cargo.lock | sed -n 's/^version = //p')
  got=$(grep -A1 "^name = \"$crate\"$" "$bare/Cargo.lock" | sed -n 's/^version = //p')
  [ "$want" = "$got" ] || { echo "footprint: bare $crate $got differs from the workspace's $want" >&2; exit 1; }
  echo "$crate $got (same as the workspace)"
done
printf 'bare binary          %8s KiB\n' "$(kib "$(stat -c %s target/release/bare-tauri)")"

echo "== start time and memory (Xvfb 1280x800)"
(cd ui && xvfb-run -a -s "-screen 0 1280x800x24" \
  node e2e/footprint.mjs "$root/$app" "$root/target/release/bare-tauri" "$root/target/footprint.json")
echo "results: target/footprint.json"
