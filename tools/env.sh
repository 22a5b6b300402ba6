# Sourced by the other scripts: tools from cargo and from tools/node_modules first on PATH.
export PATH="$HOME/.cargo/bin:$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/node_modules/.bin:$PATH"
