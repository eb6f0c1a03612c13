# shellcheck shell=bash
# Helpers shared by scripts/run and scripts/test. Source it; do not execute it.

GONGDAN_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

log() { printf '==> %s\n' "$*" >&2; }

# Read package names from the given list files (one a line; blank lines and # comments ignored).
read_package_lists() {
  local f
  for f in "$@"; do
    sed -e 's/#.*//' -e 's/[[:space:]]//g' "$f" | grep -v '^$' || true
  done
}

# ensure_packages LIST_FILE...: installs the Debian packages named in the lists that are not yet
# installed. Asks dpkg first, so when everything is present it returns at once, without network,
# sudo or apt. Runs `apt-get update` only when a missing package has no install candidate (or the
# package index has never been fetched).
ensure_packages() {
  local -a wanted missing=()
  mapfile -t wanted < <(read_package_lists "$@")
  ((${#wanted[@]} == 0)) && return 0
  # One dpkg-query for the whole list; names it does not know are simply absent from its answer.
  local -A installed=()
  local p status
  while read -r p status; do
    [[ "$status" == installed ]] && installed["${p%%:*}"]=1
  done < <(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${wanted[@]}" 2>/dev/null || true)
  for p in "${wanted[@]}"; do
    [[ -n "${installed[$p]:-}" ]] || missing+=("$p")
  done
  ((${#missing[@]} == 0)) && return 0

  local -a sudo=()
  if ((EUID != 0)); then
    command -v sudo >/dev/null || { log "need root or sudo to install: ${missing[*]}"; return 1; }
    sudo=(sudo)
  fi
  log "installing Debian packages: ${missing[*]}"
  local need_update=0
  if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
    need_update=1
  else
    for p in "${missing[@]}"; do
      if ! apt-cache policy "$p" 2>/dev/null | grep -q 'Candidate: [^(]'; then
        need_update=1
        break
      fi
    done
  fi
  if ((need_update)); then
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# ccache keys on absolute paths unless told the project's root: with these, a fresh clone in
# another folder (as CI makes) reuses the objects compiled here.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}"
export CCACHE_NOHASHDIR=1

# start_postgres DIR PORT: a throwaway PostgreSQL 15 cluster in DIR, listening on 127.0.0.1:PORT
# only (and a socket in DIR), trust authentication for the role `gongdan`. initdb refuses to run
# as root, so as root the cluster belongs to the `postgres` system user. Prints the base URL.
start_postgres() {
  local dir="$1" port="$2" bin=/usr/lib/postgresql/15/bin
  local -a as=()
  if ((EUID == 0)); then as=(runuser -u postgres --); fi
  rm -rf "$dir"
  mkdir -p "$dir"
  ((EUID == 0)) && chown postgres "$dir"
  "${as[@]}" "$bin/initdb" -D "$dir/data" -A trust -U gongdan -E UTF8 --locale=C.UTF-8 \
    --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; return 1; }
  "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=400" >/dev/null ||
    { cat "$dir/server.log" >&2; return 1; }
  echo "postgresql://gongdan@127.0.0.1:$port"
}

# stop_postgres DIR: stops the cluster start_postgres made (fast shutdown).
stop_postgres() {
  local dir="$1" bin=/usr/lib/postgresql/15/bin
  local -a as=()
  if ((EUID == 0)); then as=(runuser -u postgres --); fi
  [[ -d "$dir/data" ]] && "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1
  return 0
}

# free_port: a TCP port on 127.0.0.1 that nothing listens on right now.
free_port() {
  /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# build_web: installs the web app's npm packages (npm ci, only when package-lock.json changed since
# the last install) and builds web/dist (only when a source file is newer than the last build).
build_web() {
  local web="$GONGDAN_ROOT/web" stamp lock_hash
  # Debian's nodejs comes without npm (its own package); NodeSource's nodejs brings one, and
  # Debian's npm would conflict with it, so npm is installed only when there is none.
  command -v npm >/dev/null || ensure_packages <(echo npm) || return 1
  lock_hash="$(sha256sum "$web/package-lock.json" | cut -d' ' -f1)"
  stamp="$web/node_modules/.gongdan-lock"
  if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$lock_hash" ]]; then
    log "npm ci (web/)"
    (cd "$web" && npm ci --no-audit --no-fund --loglevel=error) || return 1
    echo "$lock_hash" >"$stamp"
  fi
  if [[ -f "$web/dist/index.html" ]] &&
    [[ -z "$(find "$web/src" "$web/public" "$web/index.html" "$web/api-docs.html" "$web/vite.config.ts" \
      "$web/package-lock.json" -newer "$web/dist/index.html" -print -quit)" ]]; then
    return 0
  fi
  log "building the web app (web/dist)"
  (cd "$web" && npm run build --silent) || return 1
}
