#!/usr/bin/env bash
# Installs what is missing, builds, creates a demo store and opens the console.
#   scripts/demo.sh [STORE]   (default: build/demo/holdpoint-demo.db)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

hp_install_packages
hp_build ON   # same flags as scripts/test.sh, so running both builds once

store=${1:-$HP_BUILD/demo/holdpoint-demo.db}
mkdir -p "$(dirname "$store")"
"$HP_BUILD/app/holdpointctl" demo --db "$store"
echo "Demo store: $store"

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "No display found. To open the console without one, run it under Xvfb:"
  echo "  xvfb-run -a $HP_BUILD/app/holdpoint --db $store"
  echo "or take a screenshot of it:"
  echo "  xvfb-run -a -s '-screen 0 1600x1000x24' $HP_BUILD/app/holdpoint --db $store --screenshot review.png"
  exit 0
fi
exec "$HP_BUILD/app/holdpoint" --db "$store"
