#!/bin/sh
# Add SafeCase to this user's application menu (and `safecase` to ~/.local/bin), from the unpacked app folder.
# Nothing outside your home folder changes. `./install-desktop-entry.sh --remove` takes it all out again.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
bin=$HOME/.local/bin
app_id=org.safecase.SafeCase

if [ "${1:-}" = "--remove" ]; then
    rm -f "$data/applications/$app_id.desktop" "$data/metainfo/$app_id.metainfo.xml"
    find "$data/icons/hicolor" -name "$app_id.*" -type f -exec rm -f {} + 2>/dev/null || true
    if [ -L "$bin/safecase" ] && [ "$(readlink "$bin/safecase")" = "$here/safecase" ]; then rm -f "$bin/safecase"; fi
    echo "SafeCase removed from the application menu (your vault is untouched)."
    exit 0
fi
[ -x "$here/safecase" ] || { echo "install-desktop-entry.sh: run it from the unpacked SafeCase folder" >&2; exit 1; }

mkdir -p "$data/applications" "$data/metainfo" "$data/icons" "$bin"
cp -R "$here/share/icons/." "$data/icons/"
cp "$here/share/metainfo/$app_id.metainfo.xml" "$data/metainfo/"
# The menu entry starts this folder's program wherever the folder is; Exec quotes the path (it may hold spaces).
exec_path=$(printf '%s' "$here/safecase" | sed 's/[\\"`$]/\\\\&/g')
sed_path=$(printf '%s' "$exec_path" | sed 's/[\\|&]/\\&/g')
try_path=$(printf '%s' "$here/safecase" | sed 's/[\\|&]/\\&/g')
sed -e "s|^Exec=safecase|Exec=\"$sed_path\"|" -e "s|^TryExec=safecase|TryExec=$try_path|" \
    "$here/share/applications/$app_id.desktop" > "$data/applications/$app_id.desktop"
ln -sfn "$here/safecase" "$bin/safecase"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$data/applications" || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$data/icons/hicolor" 2>/dev/null || true
echo "SafeCase is in the application menu; \`safecase\` is in $bin (add it to PATH if your shell does not find it)."
