#!/usr/bin/env bash
# Flashes a QuantEdge sensor node with nanoff (stable 2.5.x flag syntax): the nanoFramework firmware,
# the application image, and the model (and node.bin) on the device's I:\ drive.
#
#   tools/flash.sh --port PORT [--board NAME|FILE [--psram] [--firmware-image nanoCLR.bin]] [--image APP.bin]
#                  [--model MODEL.qem [--node node.bin]] [--firmware] [--app] [--files] [--json FILE] [--dry-run]
#
#   --port PORT        serial port of the board: COM5, /dev/ttyUSB0 (required)
#   --board NAME|FILE  boards/NAME.json or a board file; its .firmware.target is the firmware to flash
#   --psram            flash the board's PSRAM firmware variant (.firmware.withPsram or .firmware.octalPsram)
#   --firmware-image nanoCLR.bin   flash this CLR image instead of the stock one (nanoff --clrfile), e.g. the
#                      native-kernel firmware tools/esp32-firmware builds for the same target (docs/native-kernels.md)
#   --image APP.bin    the application image (default src/QuantEdge.Firmware/bin/Release/QuantEdge.Firmware.bin)
#   --model MODEL.qem  deploy this model to I:\model.qem (the firmware prefers it to its embedded model)
#   --node node.bin    deploy this node configuration to I:\node.bin (with --model)
#   --json FILE        where to write nanoff's file-deployment JSON (default quantedge-deploy.json, current folder)
#   --firmware --app --files   run only these steps; without any: firmware, app, and files when --model is given
#   --dry-run          print the nanoff commands (one per line, shell-quoted) and the JSON; write and run nothing
#
# Example: tools/flash.sh --board esp32-devkitc-v4 --port /dev/ttyUSB0 --model model.qem --node node.bin
# Exit codes: 0 done, 2 bad input (missing file, board or tool; one line on stderr), else nanoff's failing exit code.
# Environment: NANOFF (default nanoff), QUANTEDGE (default: quantedge on PATH, else 'dotnet run' of src/QuantEdge.Cli),
# which writes the JSON ('quantedge export --deploy-json'). tools/flash.ps1 is the same script for PowerShell 7.
# nanoff 3.0 (preview) has verbs instead: 'nanoff flash target T serialport P', 'nanoff deploy serialport P image
# APP.bin', 'nanoff deploy file deploy.json serialport P' (tools/README.md).
set -uo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

fail() { echo "flash.sh: $1" >&2; exit 2; }
# shellcheck source=tools/flash-common.sh
source "$repo/tools/flash-common.sh"

# An absolute path for a file that may not exist yet (its folder must).
absolute() {
    local dir
    dir=$(cd "$(dirname "$1")" 2>/dev/null && pwd) || return 1
    printf '%s/%s' "${dir%/}" "$(basename "$1")"
}

port="" board="" psram=false firmware_image="" image="" model="" node="" json="quantedge-deploy.json" dry_run=false
step_firmware=false step_app=false step_files=false
while (($#)); do
    case $1 in
        -h|--help) sed -n '2,/^set -uo/{/^set -uo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; exit 0 ;;
        --port|--board|--image|--model|--node|--json|--firmware-image)
            (($# >= 2)) && [[ -n $2 ]] || fail "$1 needs a value (see --help)"
            case $1 in
                --port) port=$2 ;; --board) board=$2 ;; --image) image=$2 ;;
                --model) model=$2 ;; --node) node=$2 ;; --json) json=$2 ;; --firmware-image) firmware_image=$2 ;;
            esac
            shift 2 ;;
        --psram) psram=true; shift ;;
        --firmware) step_firmware=true; shift ;;
        --app) step_app=true; shift ;;
        --files) step_files=true; shift ;;
        --dry-run) dry_run=true; shift ;;
        *) fail "unknown option '$1' (see --help)" ;;
    esac
done

if ! $step_firmware && ! $step_app && ! $step_files; then
    step_firmware=true step_app=true
    [[ -n $model ]] && step_files=true
fi

[[ -n $port ]] || fail "--port is required (e.g. --port /dev/ttyUSB0 or --port COM5; 'nanoff --listports' lists them)"
if [[ -n $node && -z $model ]]; then fail "--node goes with --model (the files step deploys the model and node.bin)"; fi
if $step_files && [[ -z $model ]]; then fail "--files needs --model MODEL.qem"; fi
if ! $step_files && [[ -n $model ]]; then fail "--model is only used by the files step, which was not selected (add --files)"; fi
if $psram && [[ -z $board ]]; then fail "--psram goes with --board"; fi
if ! $step_firmware && [[ -n $firmware_image ]]; then fail "--firmware-image is only used by the firmware step, which was not selected (add --firmware)"; fi

commands=()   # each command as one line of shell-quoted words
run_args=()   # the same commands, NUL-free: words separated by the unit separator \x1f, one element per command
add_command() {
    local word joined=""
    for word in "$@"; do
        joined+="${joined:+$'\x1f'}$word"
    done
    commands+=("$(quote_all "$@")")
    run_args+=("$joined")
}
nanoff=${NANOFF:-nanoff}

if $step_firmware; then
    [[ -n $board ]] || fail "the firmware step needs --board NAME|FILE (boards: $(board_names))"
    target=$(board_target "$board" "$psram") || exit 2
    clr_file=()
    if [[ -n $firmware_image ]]; then
        [[ -f $firmware_image ]] || fail "$firmware_image: firmware image not found (tools/esp32-firmware builds one; docs/native-kernels.md)"
        clr_file=(--clrfile "$(absolute "$firmware_image")")
    fi
    add_command "$nanoff" --update --target "$target" --serialport "$port" "${clr_file[@]}"
fi

if $step_app; then
    [[ -n $image ]] || image=$repo/src/QuantEdge.Firmware/bin/Release/QuantEdge.Firmware.bin
    [[ -f $image ]] || fail "$image: application image not found (build src/QuantEdge.Firmware in Release, or pass --image APP.bin)"
    image=$(absolute "$image")
    add_command "$nanoff" --nanodevice --deploy --serialport "$port" --image "$image"
fi

if $step_files; then
    [[ -f $model ]] || fail "$model: file not found"
    [[ -z $node || -f $node ]] || fail "$node: file not found"
    json_path=$(absolute "$json") || fail "$json: folder does not exist"
    add_command "$nanoff" --filedeployment "$json_path" --serialport "$port"

    # The JSON comes from 'quantedge export --deploy-json', which also validates the model and node.bin:
    # one implementation of the format, in the host library.
    if [[ -n ${QUANTEDGE:-} ]]; then
        read -r -a quantedge <<<"$QUANTEDGE"
    elif command -v quantedge >/dev/null 2>&1; then
        quantedge=(quantedge)
    else
        quantedge=(dotnet run --project "$repo/src/QuantEdge.Cli" -c Release --)
    fi
    export_args=(export "$(absolute "$model")" --deploy-json)
    node_args=()
    [[ -n $node ]] && node_args=(--node "$(absolute "$node")")
    if $dry_run; then
        scratch=$(mktemp -d)
        trap 'rm -rf "$scratch"' EXIT
        written=$scratch/deploy.json
    else
        written=$json_path
    fi
    "${quantedge[@]}" "${export_args[@]}" "$written" "${node_args[@]}" --port "$port" >/dev/null || exit $?
fi

if $dry_run; then
    printf '%s\n' "${commands[@]}"
    if $step_files; then
        echo "# $json_path:"
        cat "$written"
    fi
    exit 0
fi

command -v "$nanoff" >/dev/null 2>&1 || fail "nanoff not found: install it with 'dotnet tool install -g nanoff' (and put ~/.dotnet/tools on PATH)"
for i in "${!commands[@]}"; do
    echo "${commands[$i]}"
    IFS=$'\x1f' read -r -a words <<<"${run_args[$i]}"
    "${words[@]}"
    status=$?
    if ((status != 0)); then
        echo "flash.sh: nanoff failed with exit code $status: ${commands[$i]}" >&2
        exit "$status"
    fi
done
