#!/usr/bin/env bash
# PostgreSQL's own regression suite, run by pg_regress with psql and then with pgsh in psql's place (a `psql`
# symlink to pgsh in a --bindir directory), each on a fresh throwaway instance. Prints
#   pgsh passed N/M (psql passed M/T)
# where M counts the tests psql passes and N those of them pgsh passes too, and both wall times.
#
# Usage: scripts/regress.sh [--pgsh BINARY] [--only psql|pgsh] [--keep] [TEST ...]
#   TEST ...   run these tests (after the schedule's set-up tests test_setup, create_index, ...) instead of
#              the whole parallel_schedule
#
# What it needs (installed on first use when running as root): the server package (initdb, pg_ctl,
# postgres), postgresql-server-dev-<major> (pg_regress and PGXS, to build regress.so), and the suite's files
# for the installed server version, which come from Debian's source package (apt-get source, with a deb-src
# entry made from the machine's apt sources). Everything is kept under target/regress/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PGSH="$ROOT/target/release/pgsh"
ONLY=""
KEEP=0
TESTS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --pgsh) PGSH=$(realpath "$2"); shift 2 ;;
    --only) ONLY="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) TESTS+=("$1"); shift ;;
  esac
done

PG_CONFIG=$(command -v pg_config || ls /usr/lib/postgresql/*/bin/pg_config 2>/dev/null | sort -V | tail -1 || true)
[ -n "$PG_CONFIG" ] || { echo "regress: pg_config not found (install postgresql and postgresql-server-dev)" >&2; exit 1; }
MAJOR=$("$PG_CONFIG" --version | sed -E 's/^PostgreSQL ([0-9]+).*/\1/')
BINDIR=/usr/lib/postgresql/$MAJOR/bin
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
PGXS_REGRESS=/usr/lib/postgresql/$MAJOR/lib/pgxs/src/test/regress/pg_regress
# The server version installed; the development package must be the same version (a newer one would upgrade
# the server too, to a version whose sources the mirror may no longer hold).
VERSION=$(dpkg-query -W -f '${Version}' "postgresql-$MAJOR")
if [ ! -x "$PGXS_REGRESS" ]; then
  echo "regress: installing postgresql-server-dev-$MAJOR=$VERSION" >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "postgresql-server-dev-$MAJOR=$VERSION" >/dev/null
fi

WORK="$ROOT/target/regress"
mkdir -p "$WORK"
# The suite's sources for exactly the installed server version.
UPSTREAM=${VERSION%%-*}
SRC="$WORK/postgresql-$UPSTREAM"
if [ ! -d "$SRC/src/test/regress" ]; then
  if ! compgen -G "$WORK/postgresql-${MAJOR}_${UPSTREAM}.orig.tar.*" >/dev/null; then
    if [ ! -e /etc/apt/sources.list.d/pgsh-deb-src.sources ] && ! grep -rqs '^Types:.*deb-src\|^deb-src' /etc/apt/sources.list /etc/apt/sources.list.d/; then
      echo "regress: adding deb-src entries made from the machine's apt sources" >&2
      if [ -f /etc/apt/sources.list.d/debian.sources ]; then
        sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources | $SUDO tee /etc/apt/sources.list.d/pgsh-deb-src.sources >/dev/null
      else
        grep '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' | $SUDO tee /etc/apt/sources.list.d/pgsh-deb-src.list >/dev/null
      fi
      $SUDO apt-get update -q >/dev/null
    fi
    (cd "$WORK" && apt-get source --download-only "postgresql-$MAJOR=$VERSION" >/dev/null 2>&1)
  fi
  tar -C "$WORK" -xf "$WORK"/postgresql-"${MAJOR}"_"${UPSTREAM}".orig.tar.* "postgresql-$UPSTREAM/src/test/regress"
fi

# regress.so, built with PGXS from the suite's regress.c; refint.so and autoinc.so ship with the server.
LIBDIR="$WORK/lib-$UPSTREAM"
if [ ! -f "$LIBDIR/regress.so" ]; then
  mkdir -p "$LIBDIR"
  cp "$SRC/src/test/regress/regress.c" "$LIBDIR/"
  printf 'MODULES = regress\nPG_CONFIG = %s\nPGXS := $(shell $(PG_CONFIG) --pgxs)\ninclude $(PGXS)\n' "$PG_CONFIG" > "$LIBDIR/Makefile"
  make -s -C "$LIBDIR" >/dev/null
fi
PKGLIB=$("$PG_CONFIG" --pkglibdir)
for lib in refint autoinc; do ln -sf "$PKGLIB/$lib.so" "$LIBDIR/$lib.so"; done

# initdb and postgres refuse to run as root: run pg_regress as the postgres user, in a directory it owns.
AS=()
if [ "$(id -u)" -eq 0 ]; then
  if command -v runuser >/dev/null; then AS=(runuser -u postgres --); else AS=(su postgres -s /bin/sh -c); fi
fi
RUN=$(mktemp -d /tmp/pgsh-regress.XXXXXX)
chmod 755 "$RUN"
cleanup() { [ "$KEEP" = 1 ] || rm -rf "$RUN"; }
trap cleanup EXIT

if [ ${#TESTS[@]} -gt 0 ]; then
  # The set-up tests the others depend on come first, as in the schedule.
  SCHEDULE_ARGS=(test_setup create_index "${TESTS[@]}")
else
  SCHEDULE_ARGS=(--schedule="$SRC/src/test/regress/parallel_schedule")
fi

# $1 = label, $2 = the program to run as psql. Leaves results in $RUN/$1 and prints its wall time.
run_suite() {
  local label=$1 prog=$2 dir="$RUN/$1"
  mkdir -p "$dir/bin"
  for p in initdb pg_ctl postgres; do ln -s "$BINDIR/$p" "$dir/bin/$p"; done
  ln -s "$prog" "$dir/bin/psql"
  chown -R postgres "$dir" 2>/dev/null || true
  local start end
  start=$(date +%s.%N)
  # pg_regress exits 1 when a test fails; the counts below are what matters.
  "${AS[@]}" env -u PGHOST -u PGPORT -u PGDATABASE -u PGUSER -u DATABASE_URL HOME="$dir" \
    "$PGXS_REGRESS" --temp-instance="$dir/instance" --bindir="$dir/bin" --dlpath="$LIBDIR" \
    --inputdir="$SRC/src/test/regress" --outputdir="$dir" --max-concurrent-tests=20 \
    "${SCHEDULE_ARGS[@]}" >"$dir/pg_regress.log" 2>&1 || true
  end=$(date +%s.%N)
  echo "$end - $start" | bc >"$dir/seconds"
}

# pg_regress prints "test NAME ... ok" (or "     NAME ... FAILED" in a parallel group).
results() { awk '{ for (i = 2; i < NF; i++) if ($i == "...") { print $(i - 1), $(i + 1); break } }' "$RUN/$1/pg_regress.log"; }
passed_tests() { results "$1" | awk '$2 == "ok" { print $1 }' | sort -u; }
all_tests() { results "$1" | awk '{ print $1 }' | sort -u; }

[ "$ONLY" = pgsh ] || run_suite psql "$BINDIR/psql"
[ "$ONLY" = psql ] || run_suite pgsh "$PGSH"

report() {
  local label=$1
  echo "$label: $(passed_tests "$label" | wc -l)/$(all_tests "$label" | wc -l) passed in $(cat "$RUN/$label/seconds") s"
}
if [ -z "$ONLY" ]; then
  T=$(all_tests psql | wc -l)
  M=$(passed_tests psql | wc -l)
  N=$(comm -12 <(passed_tests psql) <(passed_tests pgsh) | wc -l)
  echo "pgsh passed $N/$M (psql passed $M/$T)"
  PS=$(cat "$RUN/psql/seconds"); GS=$(cat "$RUN/pgsh/seconds")
  printf 'wall time: psql %.1f s, pgsh %.1f s (%.2fx)\n' "$PS" "$GS" "$(echo "$GS / $PS" | bc -l)"
  FAILED=$(comm -23 <(passed_tests psql) <(passed_tests pgsh) | tr '\n' ' ')
  [ -z "$FAILED" ] || echo "failed with pgsh: $FAILED"
  if [ "$KEEP" = 1 ]; then echo "results kept in $RUN (regression.diffs in each)"; fi
  [ "$N" = "$M" ]
else
  report "$ONLY"
  FAILED=$(comm -23 <(all_tests "$ONLY") <(passed_tests "$ONLY") | tr '\n' ' ')
  [ -z "$FAILED" ] || echo "failed: $FAILED"
  if [ "$KEEP" = 1 ]; then echo "results kept in $RUN/$ONLY (regression.diffs)"; fi
fi
