# Shared by scripts/demo.sh and scripts/test.sh: install what is missing,
# then configure and build. Debian 12 packages only; nothing is downloaded
# at build or run time.
set -euo pipefail

HP_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HP_BUILD=${HP_BUILD:-$HP_ROOT/build}

HP_PACKAGES=(
  g++ cmake ninja-build pkg-config git
  qt6-base-dev qt6-charts-dev libqt6sql6-sqlite libqt6sql6-psql
  libspdlog-dev libgit2-dev libsimdjson-dev libfyaml-dev libssl-dev
  postgresql xvfb xauth fonts-dejavu-core
  jq python3-igraph poppler-utils clang libclang-rt-14-dev
)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

hp_install_packages() {
  local missing=()
  for p in "${HP_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
  fi
}

hp_build() {
  local werror=${1:-OFF}
  cmake -S "$HP_ROOT" -B "$HP_BUILD" -G Ninja -DHOLDPOINT_WERROR="$werror" >/dev/null
  cmake --build "$HP_BUILD" -j2
}

# The OS logins the multi-person end-to-end tests act as (runuser), all in
# group hp-team, and hp-pg, which runs the tests' throwaway PostgreSQL
# (tests/pgharness.cpp; PostgreSQL refuses to run as root). Created once;
# harmless to run again.
hp_create_test_logins() {
  as_root groupadd -f hp-team
  # hp-rev1..hp-rev8: the eight concurrent deciders of tst_cli_deciders.
  for u in hp-admin hp-agent hp-operator hp-reviewer hp-lead hp-auditor \
           hp-rev1 hp-rev2 hp-rev3 hp-rev4 hp-rev5 hp-rev6 hp-rev7 hp-rev8; do
    id -u "$u" >/dev/null 2>&1 || as_root useradd --no-create-home --gid hp-team --shell /bin/sh "$u"
  done
  id -u hp-pg >/dev/null 2>&1 || as_root useradd --no-create-home --user-group --shell /bin/sh hp-pg
}
