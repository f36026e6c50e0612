# Sourced (with `.`) by every launcher bin/<tool>; POSIX sh, no bashisms.
#
# Runs the tool named after the launcher with this installation's own code and modules, from
# any directory, from cron and from systemd. Never npx, never the network:
#   offline bundle (npm run bundle): node <root>/lib/<tool>.mjs          plain JavaScript
#   git checkout (npm ci done):      node --import <tsx> <root>/bin/<tool>.ts
#                                    with <tsx> = <root>/node_modules/tsx, the locked version
# <root> is found from the launcher's own path, symlinks resolved, so a link such as
# /usr/local/bin/dr-monitor -> <root>/bin/monitor works. Node.js is $DR_NODE when set (a path
# or a name), else `node` from PATH. Failures exit 8 (a precondition), like the tools.

dr_self=$(readlink -f -- "$0") || exit 127
dr_root=${dr_self%/bin/*}
dr_tool=${dr_self##*/}
dr_install='install Node.js 20 (docs/DEPLOYMENT.md, "Node.js")'

dr_fail() {
  printf '%s: %s\nHINT: %s\n' "$dr_tool" "$1" "$2" >&2
  exit 8
}

if [ -n "${DR_NODE:-}" ]; then
  dr_node=$(command -v -- "$DR_NODE") && [ -x "$dr_node" ] && [ ! -d "$dr_node" ] ||
    dr_fail "cannot run Node.js: $DR_NODE (from DR_NODE) is not an executable program" "$dr_install, or set DR_NODE to the node program"
else
  dr_node=$(command -v node) ||
    dr_fail "cannot run Node.js: no node program in PATH ($PATH)" "$dr_install, or set DR_NODE to the node program (cron and systemd start with a short PATH)"
fi

# Refuses a Node.js older than $1.$2, naming what needs it ($3).
dr_need() {
  dr_version=$("$dr_node" --version 2>/dev/null) || dr_version='(no version)'
  dr_v=${dr_version#v}
  dr_major=${dr_v%%.*}
  dr_minor=${dr_v#*.}
  dr_minor=${dr_minor%%.*}
  case "$dr_major.$dr_minor" in
  *[!0-9.]* | .* | *.) dr_fail "cannot run Node.js: $dr_node --version printed $dr_version" "$dr_install, or set DR_NODE to the node program" ;;
  esac
  if [ "$dr_major" -lt "$1" ] || { [ "$dr_major" -eq "$1" ] && [ "$dr_minor" -lt "$2" ]; }; then
    dr_min=$1.$2
    [ "$2" -eq 0 ] && dr_min=$1
    dr_fail "Node.js $dr_version is too old: $3 needs $dr_min or later" "$dr_install, or set DR_NODE to a newer node program"
  fi
}

if [ -f "$dr_root/lib/$dr_tool.mjs" ]; then
  dr_need 20 0 'this installation'
  exec "$dr_node" "$dr_root/lib/$dr_tool.mjs" "$@"
fi
[ -f "$dr_root/bin/$dr_tool.ts" ] ||
  dr_fail "no tool named $dr_tool in $dr_root (neither lib/$dr_tool.mjs nor bin/$dr_tool.ts)" "run the launchers of $dr_root/bin; reinstall if files are missing"
dr_need 20 6 'this git checkout' # node --import: 20.6
[ -d "$dr_root/node_modules/tsx" ] ||
  dr_fail "$dr_root/node_modules/tsx is missing: this git checkout has not been installed" "run npm ci in $dr_root once (it needs the npm registry), or install the offline bundle (docs/DEPLOYMENT.md, \"Install from the bundle\")"
exec "$dr_node" --import "$dr_root/node_modules/tsx/dist/loader.mjs" "$dr_root/bin/$dr_tool.ts" "$@"
