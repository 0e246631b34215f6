#!/usr/bin/env bash
# Installs what is missing, builds with warnings as errors, creates the test
# logins, and runs the unit and smoke tests. This is what CI runs.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

hp_install_packages
hp_create_test_logins
hp_build ON
ctest --test-dir "$HP_BUILD" -L 'unit|smoke' --output-on-failure -j2 --timeout 900
