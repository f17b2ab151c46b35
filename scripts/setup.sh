# Installs what building and testing the site need, each only when missing.
# Sourced by scripts/run and scripts/test; every step says what it does.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CARGO_LEPTOS_VERSION="0.3.10"
export PATH="$HOME/.cargo/bin:$ROOT/tools/node_modules/.bin:$PATH"

say() { printf '\n==> %s\n' "$*"; }

apt_ready=""
apt_install() {
  if [ -z "$apt_ready" ]; then
    apt-get update -qq
    apt_ready=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

need_wasm_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "installing the Rust wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

need_cargo_leptos() {
  if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 20 minutes on 2 cores)"
    cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
  fi
}

# cargo-leptos uses the wasm-bindgen on PATH, which must match Cargo.lock exactly;
# without one it tries to download it, which fails without internet.
need_wasm_bindgen() {
  local want
  want="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' "$ROOT/Cargo.lock")"
  if [ -z "$want" ]; then
    echo "error: cannot find the wasm-bindgen version in Cargo.lock" >&2
    return 1
  fi
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $want\$\| $want "; then
    say "installing wasm-bindgen-cli $want (the version in Cargo.lock)"
    # Not --locked: its lockfile names a crate version this registry lacks.
    cargo install wasm-bindgen-cli --version "$want"
  fi
}

# The test runner: one build of every test binary serves both backends' runs, and each test
# runs in its own process.
NEXTEST_VERSION="0.9.143"
need_nextest() {
  if ! cargo nextest --version >/dev/null 2>&1; then
    say "installing cargo-nextest $NEXTEST_VERSION"
    cargo install cargo-nextest --version "$NEXTEST_VERSION" --locked
  fi
}

need_node() {
  if ! command -v npm >/dev/null 2>&1; then
    say "installing Node.js and npm"
    apt_install nodejs npm
  fi
}

# npm ci only when node_modules is missing or older than the lockfile.
npm_ci_in() {
  local dir="$1"
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    say "installing npm packages in ${dir#"$ROOT"/}"
    (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  fi
}

# wasm-opt from npm's binaryen 132: Debian's is too old and breaks hydration.
need_wasm_opt() {
  need_node
  npm_ci_in "$ROOT/tools"
}

need_curl() {
  if ! command -v curl >/dev/null 2>&1; then
    say "installing curl"
    apt_install curl
  fi
}

need_chromium() {
  if [ ! -x /usr/bin/chromium ]; then
    say "installing Debian's Chromium for the browser tests"
    apt_install chromium
  fi
}

# The screenshots the browser suite takes for the README need a Chinese font to be readable.
need_cjk_fonts() {
  # (grep reads everything: with -q it would stop early and pipefail would see fc-list killed.)
  if ! fc-list 2>/dev/null | grep "Noto Sans CJK" >/dev/null; then
    say "installing Noto CJK fonts for the screenshots"
    apt_install fonts-noto-cjk
  fi
}

need_playwright() {
  need_node
  npm_ci_in "$ROOT/end2end"
}

# Everything `cargo leptos build --release` needs.
need_build_tools() {
  need_wasm_target
  need_cargo_leptos
  need_wasm_bindgen
  need_wasm_opt
}

# The newest installed PostgreSQL program called $1 (Debian keeps them out of PATH).
pg_bin() {
  if command -v "$1" >/dev/null 2>&1; then
    command -v "$1"
    return
  fi
  find /usr/lib/postgresql -path "*/bin/$1" 2>/dev/null | sort -V | tail -1
}

need_postgres() {
  if [ -z "$(pg_bin initdb)" ] || [ -z "$(pg_bin pg_ctl)" ]; then
    say "installing Debian's PostgreSQL for the tests on the second backend"
    # Debian starts a cluster of its own on install: keep services from starting while
    # installing, and stop any that did, so the tests' own cluster is the only one.
    local policy=/usr/sbin/policy-rc.d had_policy=""
    if [ -e "$policy" ]; then had_policy=1; else printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy"; fi
    apt_install postgresql
    if [ -z "$had_policy" ]; then rm -f "$policy"; fi
    if command -v pg_lsclusters >/dev/null 2>&1; then
      pg_lsclusters --no-header 2>/dev/null | awk '$4 == "online" { print $1, $2 }' | while read -r version name; do
        pg_ctlcluster "$version" "$name" stop || true
      done
    fi
  fi
}

# Starts a throw-away PostgreSQL cluster: initdb into a temporary folder, as an unprivileged
# user, listening on 127.0.0.1 on a free port and on a socket in that folder. Sets PG_URL (its
# superuser, trusted from loopback only). stop_postgres stops it and removes the folder;
# callers run it on exit, so nothing is left listening, also when a test fails.
start_postgres() {
  PG_DIR="$(mktemp -d)"
  local port
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  PG_AS=()
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$PG_DIR"
    PG_AS=(runuser -u postgres --)
  fi
  say "starting a throw-away PostgreSQL on 127.0.0.1:$port"
  "${PG_AS[@]}" "$(pg_bin initdb)" -D "$PG_DIR/data" -A trust -U postgres -E UTF8 --locale=C --no-sync \
    > "$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log" >&2; return 1; }
  "${PG_AS[@]}" "$(pg_bin pg_ctl)" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_DIR -c fsync=off -c max_connections=300" start \
    > /dev/null || { cat "$PG_DIR/server.log" >&2; return 1; }
  PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
}

stop_postgres() {
  if [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR" ]; then
    if [ -f "$PG_DIR/data/postmaster.pid" ]; then
      "${PG_AS[@]}" "$(pg_bin pg_ctl)" -D "$PG_DIR/data" -m fast -w stop > /dev/null 2>&1 || true
    fi
    rm -rf "$PG_DIR"
  fi
  PG_DIR=""
}
