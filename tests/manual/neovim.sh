#!/usr/bin/env bash
# Tries `fabula lsp` in a real editor: Neovim's built-in LSP client, headless (Debian's `neovim`
# package: apt-get install neovim). Not part of the pytest suite, which drives the server with
# pygls's client; run by hand after changing the server:
#
#     bash tests/manual/neovim.sh [path/to/bin/with/fabula]
#
# It copies tests/fixtures/continuity to a temporary folder and runs tests/manual/neovim.lua
# there (see that file for the steps). Exit 0 when every step passed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
if [ $# -gt 0 ]; then export PATH="$1:$PATH"; fi
command -v nvim > /dev/null || { echo "neovim is not installed (apt-get install neovim)" >&2; exit 2; }
command -v fabula > /dev/null || { echo "fabula is not on PATH (give the venv's bin folder)" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$repo/tests/fixtures/continuity" "$work/story"
cd "$work/story"
nvim --version | head -1
timeout 300 nvim --headless -u NONE -i NONE -n -c "luafile $here/neovim.lua"
