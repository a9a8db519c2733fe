# Flashes a QuantEdge sensor node with nanoff (stable 2.5.x flag syntax): the nanoFramework firmware,
# the application image, and the model (and node.bin) on the device's I:\ drive. PowerShell 7 twin of
# tools/flash.sh: the same options, the same output.
#
#   tools/flash.ps1 --port PORT [--board NAME|FILE [--psram] [--firmware-image nanoCLR.bin]] [--image APP.bin]
#                   [--model MODEL.qem [--node node.bin]] [--firmware] [--app] [--files] [--json FILE] [--dry-run]
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
#   --dry-run          print the nanoff commands (one per line, quoted for PowerShell) and the JSON; write and run nothing
#
# Example: pwsh tools/flash.ps1 --board esp32-devkitc-v4 --port COM5 --model model.qem --node node.bin
# Exit codes: 0 done, 2 bad input (missing file, board or tool; one line on stderr), else nanoff's failing exit code.
# Environment: NANOFF (default nanoff), QUANTEDGE (default: quantedge on PATH, else 'dotnet run' of src/QuantEdge.Cli),
# which writes the JSON ('quantedge export --deploy-json'). nanoff 3.0 (preview) has verbs instead: see tools/README.md.
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

$repo = Split-Path -Parent $PSScriptRoot

function Fail([string] $message) {
    [Console]::Error.WriteLine("flash.ps1: $message")
    exit 2
}

# An argument as PowerShell reads it back: bare when it has no special characters, else single-quoted.
# Bare words are the same as flash.sh prints; only quoted ones with a ' inside differ (PowerShell doubles it).
function Quote([string] $word) {
    if ($word -cmatch '^[A-Za-z0-9_./:=@%+,-]+$') { return $word }
    return "'" + $word.Replace("'", "''") + "'"
}

# An absolute path for a file that may not exist yet; $null when its folder does not exist.
function Absolute([string] $path) {
    $full = [System.IO.Path]::GetFullPath($path, (Get-Location).ProviderPath)
    if (-not (Test-Path -LiteralPath (Split-Path -Parent $full) -PathType Container)) { return $null }
    return $full
}

function BoardNames { (Get-ChildItem -LiteralPath (Join-Path $repo 'boards') -Filter '*.json' | Where-Object Name -ne 'board.schema.json' | Sort-Object Name | ForEach-Object BaseName) -join ' ' }

$port = ''; $board = ''; $psram = $false; $firmwareImage = ''; $image = ''; $model = ''; $node = ''; $json = 'quantedge-deploy.json'; $dryRun = $false
$stepFirmware = $false; $stepApp = $false; $stepFiles = $false
for ($i = 0; $i -lt $args.Count; $i++) {
    $option = [string] $args[$i]
    switch -CaseSensitive ($option) {
        { $_ -in '-h', '--help' } {
            # The comment block at the top of this file, without its '# '.
            foreach ($line in Get-Content -LiteralPath $PSCommandPath) {
                if (-not $line.StartsWith('#')) { break }
                $line -replace '^# ?', ''
            }
            exit 0
        }
        { $_ -in '--port', '--board', '--image', '--model', '--node', '--json', '--firmware-image' } {
            if ($i + 1 -ge $args.Count -or [string]::IsNullOrEmpty([string] $args[$i + 1])) { Fail "$option needs a value (see --help)" }
            $value = [string] $args[++$i]
            switch ($option) {
                '--port' { $port = $value } '--board' { $board = $value } '--image' { $image = $value }
                '--model' { $model = $value } '--node' { $node = $value } '--json' { $json = $value } '--firmware-image' { $firmwareImage = $value }
            }
            continue
        }
        '--psram' { $psram = $true; continue }
        '--firmware' { $stepFirmware = $true; continue }
        '--app' { $stepApp = $true; continue }
        '--files' { $stepFiles = $true; continue }
        '--dry-run' { $dryRun = $true; continue }
        default { Fail "unknown option '$option' (see --help)" }
    }
}

if (-not ($stepFirmware -or $stepApp -or $stepFiles)) {
    $stepFirmware = $true; $stepApp = $true
    if ($model) { $stepFiles = $true }
}

if (-not $port) { Fail "--port is required (e.g. --port /dev/ttyUSB0 or --port COM5; 'nanoff --listports' lists them)" }
if ($node -and -not $model) { Fail '--node goes with --model (the files step deploys the model and node.bin)' }
if ($stepFiles -and -not $model) { Fail '--files needs --model MODEL.qem' }
if (-not $stepFiles -and $model) { Fail '--model is only used by the files step, which was not selected (add --files)' }
if ($psram -and -not $board) { Fail '--psram goes with --board' }
if (-not $stepFirmware -and $firmwareImage) { Fail '--firmware-image is only used by the firmware step, which was not selected (add --firmware)' }

$commands = [System.Collections.Generic.List[string[]]]::new()
$nanoff = if ($env:NANOFF) { $env:NANOFF } else { 'nanoff' }

if ($stepFirmware) {
    if (-not $board) { Fail "the firmware step needs --board NAME|FILE (boards: $(BoardNames))" }
    $boardFile = if ($board.Contains('/') -or $board.Contains('\') -or $board.EndsWith('.json')) { $board } else { Join-Path $repo "boards/$board.json" }
    if (-not (Test-Path -LiteralPath $boardFile -PathType Leaf)) { Fail "board '$board' not found ($boardFile; boards: $(BoardNames))" }
    try { $boardJson = Get-Content -Raw -LiteralPath $boardFile | ConvertFrom-Json } catch { Fail "${boardFile}: no .firmware.target (or not valid JSON)" }
    # A member of a parsed JSON object, or $null when the object is not one or lacks it (strict mode forbids reading it).
    function Member($object, [string] $name) {
        if ($object -isnot [System.Management.Automation.PSCustomObject]) { return $null }
        $property = $object.PSObject.Properties[$name]
        if ($property) { return $property.Value } else { return $null }
    }
    $firmware = Member $boardJson 'firmware'
    $target = Member $firmware 'target'
    if ($target -isnot [string] -or -not $target) { Fail "${boardFile}: no .firmware.target (or not valid JSON)" }
    if ($psram) {
        $variant = Member $firmware 'withPsram'
        if (-not $variant) { $variant = Member $firmware 'octalPsram' }
        if ($variant -isnot [string] -or -not $variant) {
            Fail "${boardFile}: the board lists no PSRAM firmware variant (.firmware.withPsram or .firmware.octalPsram); flash $target without --psram"
        }
        $target = $variant
    }
    $clrFile = @()
    if ($firmwareImage) {
        if (-not (Test-Path -LiteralPath $firmwareImage -PathType Leaf)) { Fail "${firmwareImage}: firmware image not found (tools/esp32-firmware builds one; docs/native-kernels.md)" }
        $clrFile = @('--clrfile', (Absolute $firmwareImage))
    }
    $commands.Add(@($nanoff, '--update', '--target', $target, '--serialport', $port) + $clrFile)
}

if ($stepApp) {
    if (-not $image) { $image = Join-Path $repo 'src/QuantEdge.Firmware/bin/Release/QuantEdge.Firmware.bin' }
    if (-not (Test-Path -LiteralPath $image -PathType Leaf)) { Fail "${image}: application image not found (build src/QuantEdge.Firmware in Release, or pass --image APP.bin)" }
    $commands.Add(@($nanoff, '--nanodevice', '--deploy', '--serialport', $port, '--image', (Absolute $image)))
}

$scratch = $null
if ($stepFiles) {
    if (-not (Test-Path -LiteralPath $model -PathType Leaf)) { Fail "${model}: file not found" }
    if ($node -and -not (Test-Path -LiteralPath $node -PathType Leaf)) { Fail "${node}: file not found" }
    $jsonPath = Absolute $json
    if (-not $jsonPath) { Fail "${json}: folder does not exist" }
    $commands.Add(@($nanoff, '--filedeployment', $jsonPath, '--serialport', $port))

    # The JSON comes from 'quantedge export --deploy-json', which also validates the model and node.bin:
    # one implementation of the format, in the host library.
    if ($env:QUANTEDGE) { $quantedge = @($env:QUANTEDGE -split '\s+' | Where-Object { $_ }) }
    elseif (Get-Command quantedge -CommandType Application -ErrorAction SilentlyContinue) { $quantedge = @('quantedge') }
    else { $quantedge = @('dotnet', 'run', '--project', (Join-Path $repo 'src/QuantEdge.Cli'), '-c', 'Release', '--') }
    if ($dryRun) {
        $scratch = Join-Path ([System.IO.Path]::GetTempPath()) ([System.IO.Path]::GetRandomFileName())
        New-Item -ItemType Directory -Path $scratch | Out-Null
        $written = Join-Path $scratch 'deploy.json'
    } else {
        $written = $jsonPath
    }
    $exportArgs = @('export', (Absolute $model), '--deploy-json', $written)
    if ($node) { $exportArgs += @('--node', (Absolute $node)) }
    $exportArgs += @('--port', $port)
    $quantedgeArgs = @($quantedge | Select-Object -Skip 1) + $exportArgs
    & $quantedge[0] @quantedgeArgs | Out-Null
    if ($LASTEXITCODE -ne 0) {
        if ($scratch) { Remove-Item -Recurse -Force -LiteralPath $scratch }
        exit $LASTEXITCODE
    }
}

if ($dryRun) {
    foreach ($command in $commands) { ($command | ForEach-Object { Quote $_ }) -join ' ' }
    if ($stepFiles) {
        "# ${jsonPath}:"
        [Console]::Out.Flush()
        [Console]::Out.Write([System.IO.File]::ReadAllText($written))
        Remove-Item -Recurse -Force -LiteralPath $scratch
    }
    exit 0
}

if (-not (Get-Command $nanoff -CommandType Application -ErrorAction SilentlyContinue)) {
    Fail "nanoff not found: install it with 'dotnet tool install -g nanoff' (and put ~/.dotnet/tools on PATH)"
}
foreach ($command in $commands) {
    $line = ($command | ForEach-Object { Quote $_ }) -join ' '
    $line
    $rest = @($command | Select-Object -Skip 1)
    & $command[0] @rest
    if ($LASTEXITCODE -ne 0) {
        [Console]::Error.WriteLine("flash.ps1: nanoff failed with exit code ${LASTEXITCODE}: $line")
        exit $LASTEXITCODE
    }
}
