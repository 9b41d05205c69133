#!/usr/bin/env bash
# CI for safeatomic-node: installs everything from nothing, then builds,
# lints, typechecks, checks the packages, runs the formal models, the test
# suite (the README's test command) and the torture quick profile.
# Exits non-zero on any failure. The vitest closing line is
# "vitest: N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/../.."
export CI=true
export FORCE_COLOR=0
step() { printf '\n==> %s\n' "$*"; }

step "system packages"
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || true
  apt-get install -y -qq --no-install-recommends \
    strace gcc make e2fsprogs xfsprogs btrfs-progs fuse3 libfuse3-dev util-linux coreutils openssl \
    python3-venv maven default-jre-headless >/dev/null || echo "warning: some apt packages failed to install"
fi

step "pnpm"
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "10.34.9" ]; then
  corepack enable pnpm 2>/dev/null || npm install -g pnpm@10.34.9
fi
pnpm --version

step "install"
pnpm install --frozen-lockfile

step "python interop environment (safeatomic 2.0.3 from PyPI)"
PYVENV="$PWD/.cache/pyvenv"
if [ ! -x "$PYVENV/bin/python" ]; then
  python3 -m venv "$PYVENV" && "$PYVENV/bin/pip" install -q --ignore-requires-python safeatomic==2.0.3 \
    || echo "warning: python interop environment unavailable; interop tests will skip"
fi
if "$PYVENV/bin/python" -c "import safeatomic" 2>/dev/null; then export SAFEATOMIC_PYTHON="$PYVENV/bin/python"; fi

step "build, typecheck, package checks"
pnpm exec turbo run build typecheck check:pkg --output-logs=errors-only

step "lint"
pnpm lint

step "changesets"
pnpm exec changeset status

if [ -x formal/run ] || [ -f formal/run ]; then
  step "formal models (TLC)"
  bash formal/run
fi

step "tests"
pnpm test --no-build

if [ -f apps/torture/package.json ]; then
  step "torture (quick profile)"
  pnpm --filter @safeatomic/torture torture --profile quick
fi
