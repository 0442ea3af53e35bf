#!/usr/bin/env bash
# Copies the screenshots docs/guide.md shows from the last end-to-end run (ui/e2e/out/, written by
# scripts/e2e.sh and scripts/package.sh --check) to docs/img/, under stable names. Run it after
# those, look at the pictures, and commit them with the guide.
set -euo pipefail
cd "$(dirname "$0")/.."
# e2e screenshot            → guide image
pairs=(
  01-empty-list             list-empty
  12-sample                 sample
  02-three-tiles            three-tiles
  03-engagement-lookup      engagement-lookup
  04-voice-configured       voice
  04b-wait-configured       wait
  04c-branch-configured     branch
  01b-problem               problem
  05-journey-done           journey-done
  10a-test-run-dialog       test-run-dialog
  10b-test-run              test-run
  09-contacts-imported      contacts
  10-live-counts            live-counts
  10c-stop-dialog           stop
  11-list-live              list-live
  06b-settings              settings
  editor-01-deleted         editor-deleted
  editor-03-tile-menu       editor-menu
  editor-07-shortcuts       editor-shortcuts
  files-01-imported         files-imported
)
missing=0
for ((i = 0; i < ${#pairs[@]}; i += 2)); do
  from="ui/e2e/out/${pairs[i]}.png"
  if [ -f "$from" ]; then
    cp "$from" "docs/img/${pairs[i + 1]}.png"
  else
    echo "guide-images: $from is missing (run scripts/e2e.sh and scripts/package.sh --check)" >&2
    missing=1
  fi
done
exit "$missing"
