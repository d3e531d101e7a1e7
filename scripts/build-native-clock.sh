#!/usr/bin/env bash
# Build the optional compiled statutory clock: src/sendcase/statutory/engine.py compiled with
# mypyc (it ships inside mypy), installed beside engine.py as engine.*.so and
# engine__mypyc.*.so, with engine.digest naming the sources it was built from
# (sendcase/statutory/native.py loads it only while they are the sources on disk).
# Never fails: without a C compiler, or if the build goes wrong, it says so in one line and
# removes any older build, and the pure-Python engine runs. Usage: build-native-clock.sh PYTHON
set -uo pipefail
cd "$(dirname "$0")/.."

PY=${1:-.venv/bin/python}
case $PY in /*) ;; *) PY=$PWD/$PY ;; esac  # not resolved: a venv's python is a symlink
PKG=src/sendcase/statutory
WORK=var/native-clock
LOG=$WORK/build.log

remove_build() {
  rm -f "$PKG"/engine.digest "$PKG"/engine.*.so "$PKG"/engine__mypyc.*.so
}
give_up() {
  remove_build
  echo "Compiled statutory clock not built ($1); the pure-Python engine runs (make native-clock retries)."
  exit 0
}

command -v "${CC:-gcc}" >/dev/null 2>&1 || command -v cc >/dev/null 2>&1 || give_up "no C compiler: apt-get install gcc"

# Compile a copy, so that the digest is of exactly the bytes compiled.
rm -rf "$WORK"
mkdir -p "$WORK/sendcase/statutory"
cp src/sendcase/__init__.py "$WORK/sendcase/"
cp "$PKG"/*.py "$WORK/sendcase/statutory/"
# mypy's settings of its own, not the project's (whose Django plugin needs the whole project).
printf '[mypy]\n' >"$WORK/mypy.ini"
digest=$("$PY" -P "$PKG/native.py" "$WORK/sendcase/statutory") || give_up "no digest of the sources"

start=$SECONDS
( cd "$WORK" && "$PY" -m mypyc --config-file mypy.ini sendcase/statutory/engine.py ) >"$LOG" 2>&1 \
  || give_up "mypyc or the C compiler failed, see $LOG"
built=("$WORK"/sendcase/statutory/engine*.so)
[ -e "${built[0]}" ] || give_up "mypyc made no extension module, see $LOG"

# Install: each file renamed into place (a running process keeps the file it has open), the
# digest last, so a half-installed build is never taken as current.
remove_build
for so in "${built[@]}"; do
  cp "$so" "$PKG/.$(basename "$so").tmp" && mv "$PKG/.$(basename "$so").tmp" "$PKG/$(basename "$so")" \
    || give_up "could not install $(basename "$so")"
done
echo "$digest" >"$PKG/engine.digest"

build=$(env -u SENDCASE_PURE_CLOCK "$PY" -c 'from sendcase import statutory; print(statutory.ENGINE_BUILD)' 2>>"$LOG")
[ "$build" = compiled ] || give_up "the build does not load, see $LOG"
echo "Compiled statutory clock built with mypyc in $((SECONDS - start)) s (SENDCASE_PURE_CLOCK=1 runs engine.py)."
