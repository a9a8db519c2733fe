# Sourced by tools/flash.sh and tools/esp32-firmware. Needs $repo (the repository root) and a fail MESSAGE function.
#
# quote WORD  prints an argument as a POSIX shell reads it back: bare when it has no special characters, else single-quoted.
quote() {
    if [[ $1 =~ ^[A-Za-z0-9_./:=@%+,-]+$ ]]; then
        printf '%s' "$1"
    else
        printf "'%s'" "${1//\'/\'\\\'\'}"
    fi
}

# quote_all WORD...  the words quoted, separated by spaces.
quote_all() {
    local line="" word
    for word in "$@"; do line+="${line:+ }$(quote "$word")"; done
    printf '%s' "$line"
}

# board_target BOARD PSRAM  prints boards/BOARD.json's .firmware.target (a path or NAME.json: that file), or with
# PSRAM=true its .firmware.withPsram / .firmware.octalPsram; on bad input it calls fail. Needs jq.

board_names() { (cd "$repo/boards" && ls *.json | grep -v '^board\.schema\.json$' | sed 's/\.json$//' | paste -sd ' '); }

board_target() {
    local board=$1 psram=$2 board_file target variant
    if [[ $board == */* || $board == *.json ]]; then board_file=$board; else board_file=$repo/boards/$board.json; fi
    [[ -f $board_file ]] || fail "board '$board' not found ($board_file; boards: $(board_names))"
    command -v jq >/dev/null 2>&1 || fail "jq is needed to read $board_file (apt-get install jq, brew install jq, or use tools/flash.ps1)"
    target=$(jq -er '.firmware.target | strings' "$board_file" 2>/dev/null) || fail "$board_file: no .firmware.target (or not valid JSON)"
    if [[ $psram == true ]]; then
        variant=$(jq -er '(.firmware.withPsram // .firmware.octalPsram) | strings' "$board_file" 2>/dev/null) \
            || fail "$board_file: the board lists no PSRAM firmware variant (.firmware.withPsram or .firmware.octalPsram); flash $target without --psram"
        target=$variant
    fi
    printf '%s' "$target"
}
