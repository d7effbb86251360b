# Shared by the Quick start scripts: install what is missing, from this repository's own files.
# Debian packages with --no-install-recommends; npm packages from the lock file.

repo_root() { cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd; }

# retry CMD ARGS... — runs CMD up to 5 times, waiting 10, 20, 40, 80 s between tries: the package
# mirrors time out now and then, and an install step that gives up on the first time-out fails a whole
# run. RETRY_DELAY_SECONDS overrides the first wait (it doubles each time).
retry() {
  local attempt=1 delay=${RETRY_DELAY_SECONDS:-10}
  until "$@"; do
    if [ "$attempt" -ge 5 ]; then
      echo "failed 5 times: $*" >&2
      return 1
    fi
    echo "attempt $attempt of $* failed; retrying in ${delay}s" >&2
    sleep "$delay"
    attempt=$((attempt + 1))
    delay=$((delay * 2))
  done
}

# ensure_debian_packages CMD:PACKAGE ... — installs PACKAGE when CMD is not found.
ensure_debian_packages() {
  local missing=() pair cmd pkg
  for pair in "$@"; do
    cmd=${pair%%:*}
    pkg=${pair#*:}
    if ! command -v "$cmd" >/dev/null 2>&1 && [ ! -x "$cmd" ]; then missing+=("$pkg"); fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "missing Debian packages (${missing[*]}); run as root or install them" >&2
    return 1
  fi
  echo "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  retry apt-get update -qq
  retry apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# ensure_npm_packages — npm ci when node_modules is missing or older than the lock file.
ensure_npm_packages() {
  local root
  root=$(repo_root)
  if [ ! -d "$root/node_modules" ] || [ "$root/package-lock.json" -nt "$root/node_modules/.package-lock.json" ]; then
    echo "installing npm packages"
    (cd "$root" && retry npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# The newest installed PostgreSQL server's bin directory, empty when none is.
postgres_bin_dir() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}
