#Requires -Version 7.2
<#
.SYNOPSIS
    Runs the ClusterPS benchmark (SPEC section 7) and writes bench/results.md.

.DESCRIPTION
    dotnet pwsh ./bench/run.ps1 [-Quick]

    1. Builds the module (build.ps1 -Task Build) and copies out/ClusterPS/<version> to a private
       temporary folder, so a rebuild by someone else during the run cannot change what is measured.
    2. Generates the datasets with NumPy if missing (bench/make_dataset.py; a dataset folder with a
       .complete marker is reused) under $env:CLUSTERPS_BENCH_DATA or ~/.cache/clusterps-bench.
    3. For stored200k and compressed200k, with the page cache warmed (every file read once first):
       NumPy (bench/numpy_bench.py), NumSharp (bench/NumSharpBench) and ClusterPS
       (bench/clusterps_bench.ps1), each best of -Runs after a warm-up, plus per-workload peak memory
       in fresh processes, NumPy's load_dataset peak, and Import-Module time in fresh pwsh processes.
    4. For stored1m: ClusterPS statistics (timed) and every ClusterPS workload's peak working set (the
       memory check), and NumPy statistics.
    5. Checks that the counts agree between the sides (and with the dataset's manifest) before any
       ratio is shown: a mismatch is printed loudly and its ratio shown as 'n/a'.
    6. Prints one markdown table and writes it, with a header describing the machine, to
       bench/results.md (with -Quick: to a temporary file unless -OutFile is given).

.PARAMETER Quick
    Smoke test of the harness: a generated 4,000-cluster, 6-file dataset in a temporary folder,
    one timed run, no 1M dataset. Finishes in well under a minute.

.PARAMETER Runs
    Timed runs per workload (best is reported). Defaults to 5 (1 with -Quick).

.PARAMETER DataRoot
    Where the datasets live. Defaults to $env:CLUSTERPS_BENCH_DATA, else ~/.cache/clusterps-bench.

.PARAMETER SkipBuild
    Use the module already in out/ instead of building it.

.PARAMETER Skip1M
    Leave out the 1,000,000-cluster dataset (its generation writes ~8 GB).

.PARAMETER OutFile
    Where to write the results. Defaults to bench/results.md (a temporary file with -Quick).

.PARAMETER WaitQuiet
    Before each dataset, wait up to this many minutes for the machine to be quiet: other processes
    at normal priority using less than 15 % of the CPUs over 5 s (niced background work does not
    count). Other work on the machine shows up in the times. Default 0: do not wait.
#>
[CmdletBinding()]
param(
    [switch] $Quick,
    [int] $Runs = 0,
    [string] $DataRoot = '',
    [switch] $SkipBuild,
    [switch] $Skip1M,
    [string] $OutFile = '',
    [int] $WaitQuiet = 0
)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Set-StrictMode -Version 3.0

$started = [Diagnostics.Stopwatch]::StartNew()
$loadAtStart = if (Test-Path /proc/loadavg) { (Get-Content /proc/loadavg) } else { '?' }
$BenchDir = $PSScriptRoot
$RepoRoot = Split-Path -Parent $BenchDir
$Python = '/usr/bin/python3'
$Inv = [Globalization.CultureInfo]::InvariantCulture
if ($Runs -le 0) { $Runs = if ($Quick) { 1 } else { 5 } }
if (-not $DataRoot) {
    $DataRoot = if ($env:CLUSTERPS_BENCH_DATA) { $env:CLUSTERPS_BENCH_DATA } else { Join-Path $HOME '.cache' 'clusterps-bench' }
}
if (-not $OutFile) {
    $OutFile = if ($Quick) { Join-Path ([IO.Path]::GetTempPath()) 'clusterps-bench-quick-results.md' } else { Join-Path $BenchDir 'results.md' }
}
$Problems = [Collections.Generic.List[string]]::new()

function Write-Step([string] $Text) { Write-Host "== $Text" -ForegroundColor Cyan }

function Write-Loud([string] $Text) {
    $Problems.Add($Text)
    Write-Host ''
    Write-Host "!!!!! $Text" -ForegroundColor Red
    Write-Host ''
}

function Get-PwshCommand {
    $processPath = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($processPath) -eq 'dotnet') {
        return , @($processPath, (Join-Path $PSHOME 'pwsh.dll'))
    }
    , @($processPath)
}

function Invoke-Native {
    # Runs a program; returns its stdout as one string (stderr goes to the host); throws on failure.
    param([string] $Exe, [string[]] $Arguments, [switch] $Quiet)
    $out = & $Exe @Arguments
    $code = $LASTEXITCODE
    $text = (@($out) | ForEach-Object { "$_" }) -join "`n"
    if ($code -ne 0) { throw "'$Exe $($Arguments -join ' ')' failed with exit code $code`n$text" }
    $text
}

function Invoke-Python {
    # NumPy runs with the OpenBLAS tuning variables unset (for this command only).
    param([string[]] $Arguments)
    Invoke-Native 'env' (@('-u', 'OPENBLAS_CORETYPE', '-u', 'OPENBLAS_L2_SIZE', $Python) + $Arguments)
}

function ConvertFrom-JsonText([string] $Text) {
    # The JSON object is the tail of the output, from the first line that opens it.
    $lines = $Text -split "`n"
    $first = 0
    for ($i = 0; $i -lt $lines.Count; $i++) { if ($lines[$i] -match '^\{') { $first = $i; break } }
    ($lines[$first..($lines.Count - 1)] -join "`n") | ConvertFrom-Json -AsHashtable
}

function Get-BusyFraction {
    # Share of the machine's CPU time (all cores) used over 5 s by other processes running at
    # normal or higher priority (nice <= 0), from /proc/<pid>/stat. Background work under nice (a
    # fuzzer, say) barely slows the benchmark and is not counted; a build or a test run is.
    function Read-Ticks {
        $ticks = @{}
        foreach ($dir in [IO.Directory]::GetDirectories('/proc')) {
            $name = [IO.Path]::GetFileName($dir)
            if ($name -notmatch '^\d+$' -or [int]$name -eq $PID) { continue }
            try { $text = [IO.File]::ReadAllText("$dir/stat") } catch { continue }
            $f = $text.Substring($text.LastIndexOf(')') + 2).Split(' ')   # fields from 3 (state) on
            if ([int]$f[16] -gt 0) { continue }                           # field 19: nice
            $ticks[$name] = [long]$f[11] + [long]$f[12]                   # fields 14, 15: utime, stime
        }
        $ticks
    }
    $a = Read-Ticks; $sw = [Diagnostics.Stopwatch]::StartNew(); Start-Sleep 5; $b = Read-Ticks
    $used = 0L
    foreach ($k in $b.Keys) { if ($a.ContainsKey($k)) { $used += [math]::Max(0, $b[$k] - $a[$k]) } }
    $cores = [Environment]::ProcessorCount
    $used / 100.0 / ($sw.Elapsed.TotalSeconds * $cores)   # USER_HZ is 100 on Linux
}

function Wait-Quiet {
    if ($WaitQuiet -le 0 -or -not (Test-Path /proc/self/stat)) { return }
    $deadline = (Get-Date).AddMinutes($WaitQuiet)
    while ((Get-Date) -lt $deadline) {
        $busy = Get-BusyFraction
        if ($busy -lt 0.15) { return }
        Write-Host "   waiting for a quiet machine ($([int]($busy * 100)) % of the CPUs busy at normal priority)" -ForegroundColor DarkGray
        Start-Sleep 10
    }
    Write-Host '   the machine stayed busy: measuring anyway' -ForegroundColor Yellow
}

function Read-Warm([string] $Dir) {
    # Reads every file once so the timed runs see a warm page cache.
    $buffer = [byte[]]::new(4MB)
    $bytes = 0L
    foreach ($f in [IO.Directory]::GetFiles($Dir, '*.npz')) {
        $s = [IO.File]::OpenRead($f)
        try { while (($n = $s.Read($buffer, 0, $buffer.Length)) -gt 0) { $bytes += $n } }
        finally { $s.Dispose() }
    }
    $bytes
}

#region Build and data

if (-not $SkipBuild) {
    Write-Step 'Building the module'
    $pwsh = Get-PwshCommand
    $ok = $false
    for ($try = 1; $try -le 4 -and -not $ok; $try++) {
        $buildOutput = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -File (Join-Path $RepoRoot 'build.ps1') -Task Build 2>&1
        $ok = $LASTEXITCODE -eq 0
        if (-not $ok -and $try -lt 4) { Write-Host "build failed (try $try), retrying in 15 s (another build may hold a lock)" -ForegroundColor Yellow; Start-Sleep 15 }
    }
    if (-not $ok) {
        $buildOutput | Select-Object -Last 30 | ForEach-Object { Write-Host "$_" }
        throw 'build.ps1 -Task Build failed 4 times.'
    }
}
$version = (Import-PowerShellDataFile -LiteralPath (Join-Path $RepoRoot 'module' 'ClusterPS.psd1')).ModuleVersion
$builtDir = Join-Path $RepoRoot 'out' 'ClusterPS' $version
if (-not (Test-Path -LiteralPath (Join-Path $builtDir 'ClusterPS.psd1'))) { throw "No built module in $builtDir." }
$moduleCopy = Join-Path ([IO.Path]::GetTempPath()) "clusterps-bench-module-$PID" 'ClusterPS' $version
$null = New-Item -ItemType Directory -Path $moduleCopy -Force
Copy-Item -Path (Join-Path $builtDir '*') -Destination $moduleCopy -Recurse -Force
$ModulePath = Join-Path $moduleCopy 'ClusterPS.psd1'

Write-Step 'Building bench/NumSharpBench'
$numSharpProject = Join-Path $BenchDir 'NumSharpBench'
for ($try = 1; ; $try++) {
    try { $null = Invoke-Native 'dotnet' @('build', $numSharpProject, '-c', 'Release', '--nologo', '-v', 'q', '-clp:NoSummary'); break }
    catch { if ($try -ge 3) { throw } ; Write-Host "NumSharpBench build failed (try $try), retrying in 15 s" -ForegroundColor Yellow; Start-Sleep 15 }
}

$numSharpDll = Join-Path $numSharpProject 'bin' 'Release' 'net10.0' 'NumSharpBench.dll'
if (-not (Test-Path -LiteralPath $numSharpDll)) { throw "NumSharpBench was built, but $numSharpDll is missing." }

Write-Step "Datasets in $(if ($Quick) { 'a temporary folder' } else { $DataRoot })"
if ($Quick) {
    $quickDir = Join-Path ([IO.Path]::GetTempPath()) 'clusterps-bench-quick'
    $null = Invoke-Python @((Join-Path $BenchDir 'make_dataset.py'), '--quick', $quickDir)
    $Datasets = [ordered]@{ quick = $quickDir }
    $BigDataset = $null
}
else {
    $names = @('stored200k', 'compressed200k') + $(if ($Skip1M) { @() } else { @('stored1m') })
    $null = Invoke-Python (@((Join-Path $BenchDir 'make_dataset.py'), '--root', $DataRoot, '--only') + $names)
    $Datasets = [ordered]@{ stored200k = Join-Path $DataRoot 'stored200k'; compressed200k = Join-Path $DataRoot 'compressed200k' }
    $BigDataset = if ($Skip1M) { $null } else { Join-Path $DataRoot 'stored1m' }
}

#endregion

#region Runs

$R = [ordered]@{}   # dataset -> side -> parsed JSON
$first = $true
foreach ($name in $Datasets.Keys) {
    $dir = $Datasets[$name]
    $manifest = Get-Content -LiteralPath (Join-Path $dir 'manifest.json') -Raw | ConvertFrom-Json -AsHashtable
    Write-Step "$name ($($manifest.files) files, $($manifest.clusters) clusters): warming the page cache"
    $null = Read-Warm $dir
    Wait-Quiet
    $R[$name] = [ordered]@{ manifest = $manifest; load_before = $(if (Test-Path /proc/stat) { "$([int]((Get-BusyFraction) * 100)) % of the CPUs busy at normal priority, load average $(((Get-Content /proc/loadavg) -split ' ')[0..2] -join ' ')" } else { '?' }) }
    # What the machine's processors add right now (bench/machine_scaling.py): ClusterPS reads on all of them.
    try { $R[$name].scaling = ConvertFrom-JsonText (Invoke-Python @((Join-Path $BenchDir 'machine_scaling.py'))) } catch { $R[$name].scaling = $null }

    Write-Step "$name : NumPy"
    $pyArgs = @((Join-Path $BenchDir 'numpy_bench.py'), $dir, '--runs', "$Runs", '--peaks')
    if ($name -ne 'compressed200k') { $pyArgs += '--load-dataset' }   # load_dataset is only run on the 200k data
    $R[$name].numpy = ConvertFrom-JsonText (Invoke-Python $pyArgs)

    Write-Step "$name : NumSharp"
    $R[$name].numsharp = [ordered]@{}
    foreach ($w in 'statistics', 'charge') {
        try {
            # The assembly built above, run directly ('dotnet run' would re-evaluate the project each time).
            $text = Invoke-Native 'dotnet' @($numSharpDll, $dir, '--runs', "$Runs", '--workload', $w)
            $R[$name].numsharp[$w] = ConvertFrom-JsonText $text
        }
        catch {
            $R[$name].numsharp[$w] = @{ $w = @{ error = "NumSharpBench failed: $_" } }
        }
    }

    Write-Step "$name : ClusterPS"
    $cpsArgs = @('-NoProfile', '-NonInteractive', '-File', (Join-Path $BenchDir 'clusterps_bench.ps1'), '-Dataset', $dir,
        '-ModulePath', $ModulePath, '-Runs', "$Runs", '-Peaks')
    if ($first) { $cpsArgs += @('-ImportRuns', $(if ($Quick) { '3' } else { '10' })) }
    $pwsh = Get-PwshCommand
    $R[$name].clusterps = ConvertFrom-JsonText (Invoke-Native $pwsh[0] (@($pwsh | Select-Object -Skip 1) + $cpsArgs))

    $ext = $R[$name].clusterps['extraction']
    if ($ext -and $ext['available'] -and $ext.Contains('out_dir')) {
        $R[$name].clusterps_export_check = ConvertFrom-JsonText (Invoke-Python @((Join-Path $BenchDir 'numpy_bench.py'), $ext.out_dir, '--verify'))
        Remove-Item -LiteralPath $ext.out_dir -Recurse -Force -ErrorAction SilentlyContinue
    }
    $first = $false
}

if ($BigDataset) {
    $name = 'stored1m'
    $manifest = Get-Content -LiteralPath (Join-Path $BigDataset 'manifest.json') -Raw | ConvertFrom-Json -AsHashtable
    Write-Step "$name ($($manifest.files) files, $($manifest.clusters) clusters): warming the page cache"
    $null = Read-Warm $BigDataset
    Wait-Quiet
    $R[$name] = [ordered]@{ manifest = $manifest; load_before = $(if (Test-Path /proc/stat) { "$([int]((Get-BusyFraction) * 100)) % of the CPUs busy at normal priority, load average $(((Get-Content /proc/loadavg) -split ' ')[0..2] -join ' ')" } else { '?' }) }
    Write-Step "$name : NumPy statistics"
    $R[$name].numpy = ConvertFrom-JsonText (Invoke-Python @((Join-Path $BenchDir 'numpy_bench.py'), $BigDataset, '--runs', "$Runs", '--workloads', 'statistics'))
    Write-Step "$name : ClusterPS statistics and the memory check (every workload in its own process)"
    $pwsh = Get-PwshCommand
    $cpsArgs = @('-NoProfile', '-NonInteractive', '-File', (Join-Path $BenchDir 'clusterps_bench.ps1'), '-Dataset', $BigDataset,
        '-ModulePath', $ModulePath, '-Runs', "$Runs", '-Workloads', 'statistics', '-Peaks')
    $R[$name].clusterps = ConvertFrom-JsonText (Invoke-Native $pwsh[0] (@($pwsh | Select-Object -Skip 1) + $cpsArgs))
    # -Peaks runs only the listed workloads: run charge and extraction peaks too.
    foreach ($w in 'charge', 'extraction') {
        $cpsArgs = @('-NoProfile', '-NonInteractive', '-File', (Join-Path $BenchDir 'clusterps_bench.ps1'), '-Dataset', $BigDataset,
            '-ModulePath', $ModulePath, '-Child', $w)
        try { $R[$name].clusterps.peaks[$w] = ConvertFrom-JsonText (Invoke-Native $pwsh[0] (@($pwsh | Select-Object -Skip 1) + $cpsArgs)) }
        catch { $R[$name].clusterps.peaks[$w] = @{ error = "$_" } }
    }
}

# Transport (SPEC section 7, section 9): bench/transport.ps1 on the 200k stored dataset (or the quick one).
$transportData = @($Datasets.Values)[0]
Write-Step "Transport workloads on $transportData"
$transport = $null
$transportError = $null
try {
    $transportArgs = @('-NoProfile', '-NonInteractive', '-File', (Join-Path $BenchDir 'transport.ps1'), '-Dataset', $transportData,
        '-ModulePath', $ModulePath, '-Runs', "$(if ($Quick) { 1 } else { 3 })")
    $transport = ConvertFrom-JsonText (Invoke-Native $pwsh[0] (@($pwsh | Select-Object -Skip 1) + $transportArgs))
}
catch { $transportError = "$_" }
Remove-Item -LiteralPath (Split-Path -Parent (Split-Path -Parent $moduleCopy)) -Recurse -Force -ErrorAction SilentlyContinue
$raw = Join-Path ([IO.Path]::GetTempPath()) "clusterps-bench-raw$(if ($Quick) { '-quick' }).json"
$R | ConvertTo-Json -Depth 10 | Set-Content -LiteralPath $raw

#endregion

#region Checks and the table

function Get-Path($Object, [string[]] $Keys) {
    # Walks nested hashtables; $null when any step is missing.
    $o = $Object
    foreach ($k in $Keys) {
        if ($null -eq $o -or $o -isnot [Collections.IDictionary] -or -not $o.Contains($k)) { return $null }
        $o = $o[$k]
    }
    $o
}

function Compare-Counts([hashtable] $Sides, [string[]] $Keys, [string] $What) {
    # $Sides: name -> counts (or $null). Returns name -> $true when it agrees with every other side
    # that has counts (and with the manifest's expectation, passed as side 'expected').
    $agree = @{}
    $names = @($Sides.Keys | Where-Object { $null -ne $Sides[$_] })
    foreach ($n in $names) { $agree[$n] = $true }
    foreach ($a in $names) {
        foreach ($b in $names) {
            if ($a -ge $b) { continue }
            foreach ($k in $Keys) {
                $va = Get-Path $Sides[$a] @($k); $vb = Get-Path $Sides[$b] @($k)
                if ($null -eq $va -or $null -eq $vb) { continue }
                if ([long]$va -ne [long]$vb) {
                    Write-Loud "COUNT MISMATCH in $What : $k is $va for $a but $vb for $b"
                    $agree[$a] = $false; $agree[$b] = $false
                }
            }
        }
    }
    $agree
}

function Format-Seconds($s) { if ($null -eq $s) { '—' } else { ([double]$s).ToString('0.000', $Inv) } }
function Format-MB($bytes) { if ($null -eq $bytes) { '—' } else { ([double]$bytes / 1MB).ToString('0', $Inv) } }

function Format-Ratio($cps, $peer, [bool] $ok) {
    if ($null -eq $cps -or $null -eq $peer) { return '—' }
    if (-not $ok) { return 'n/a' }
    ([double]$cps / [double]$peer).ToString('0.00', $Inv) + '×'
}

function Format-Spread($Side, [string] $Workload) {
    # The timed runs of one side: best / median / worst, so a reader sees how much a single time moves.
    $t = @(Get-Path $Side @($Workload, 'times') | Sort-Object)
    if ($t.Count -eq 0) { return '—' }
    ($t[0], $t[[int][Math]::Floor(($t.Count - 1) / 2)], $t[-1] | ForEach-Object { ([double]$_).ToString('0.000', $Inv) }) -join ' / '
}

function Get-Best($Side, [string] $Workload) {
    $b = Get-Path $Side @($Workload, 'best')
    if ($null -eq $b) { return $null }
    [double]$b
}

$Rows = [Collections.Generic.List[object]]::new()
$Notes = [Collections.Generic.List[string]]::new()
$targets = [ordered]@{ statistics = 0.2; charge = 0.4; extraction = 0.4 }  # SPEC section 7, raised by issue 13

foreach ($name in @($R.Keys)) {
    $d = $R[$name]
    $m = $d.manifest
    $expected = $m.statistics
    foreach ($w in $targets.Keys) {
        $cps = $d['clusterps']; $np = $d['numpy']
        $ns = if ($d.Contains('numsharp')) { Get-Path $d @('numsharp', $w) } else { $null }
        if ($null -eq (Get-Path $cps @($w)) -and $null -eq (Get-Path $np @($w))) { continue }

        $cpsBest = Get-Best $cps $w
        $npBest = Get-Best $np $w
        $nsBest = Get-Best $ns $w
        $cpsCounts = Get-Path $cps @($w, 'counts')
        $npCounts = Get-Path $np @($w, 'counts')
        $nsCounts = Get-Path $ns @($w, 'counts')
        switch ($w) {
            'statistics' {
                $keys = 'clusters', 'U', 'V', 'X', 'ES', 'CC', 'marley', 'main_track'
                $exp = $expected
            }
            'charge' {
                $keys = 'pass', 'pass_marley'
                $exp = @{ pass = $m.charge_pass; pass_marley = $m.charge_pass_marley }
            }
            'extraction' {
                $keys = @('clusters')
                $exp = @{ clusters = $expected.x_marley }
                $check = $d['clusterps_export_check']
                if ($check) {
                    # What NumPy reads back from ClusterPS's export must be the Marley X clusters, ≤ 1000 a file.
                    if ([long]$check.clusters -ne [long]$exp.clusters -or [long]$check.marley -ne [long]$check.clusters -or
                        [long]$check.X -ne [long]$check.clusters -or [long]$check.largest_batch -gt 1000) {
                        Write-Loud "EXPORT CHECK FAILED on $name : NumPy read back $($check | ConvertTo-Json -Compress)"
                        $cpsCounts = @{ clusters = -1 }
                    }
                }
            }
        }
        $agree = Compare-Counts @{ expected = $exp; ClusterPS = $cpsCounts; NumPy = $npCounts; NumSharp = $nsCounts } $keys "$w on $name"
        $cpsOk = $agree['ClusterPS'] -eq $true

        $status = Get-Path $cps @($w, 'available')
        $cpsCell = if ($status -eq $false) { 'not available' }
        elseif ($null -ne (Get-Path $cps @($w, 'error'))) { 'error' }
        else { Format-Seconds $cpsBest }
        $nsCell = if ($null -ne (Get-Path $ns @($w, 'error'))) { 'error' } elseif ($w -eq 'extraction') { '—' } else { Format-Seconds $nsBest }
        foreach ($side in @(@('ClusterPS', (Get-Path $cps @($w, 'error'))), @('NumSharp', (Get-Path $ns @($w, 'error'))), @('NumPy', (Get-Path $np @($w, 'error'))))) {
            if ($side[1]) { $Notes.Add("$($side[0]) $w on $name failed: $($side[1])") }
        }

        $rNp = Format-Ratio $cpsBest $npBest ($cpsOk -and $agree['NumPy'] -eq $true)
        $rNs = Format-Ratio $cpsBest $nsBest ($cpsOk -and $agree['NumSharp'] -eq $true)
        $target = $targets[$w]
        $met = '—'
        if ($rNp -like '*×') {
            $okNp = ($cpsBest / $npBest) -le $target
            $okNs = if ($rNs -like '*×') { ($cpsBest / $nsBest) -lt 1 } else { $true }
            $met = if ($okNp -and $okNs) { 'yes' } elseif ($okNp) { 'no (behind NumSharp)' } else { 'no' }
        }
        elseif ($rNp -eq 'n/a') { $met = 'n/a (counts differ)' }

        $peaks = @(
            "CPS $(if ($status -eq $false) { '—' } else { Format-MB (Get-Path $cps @('peaks', $w, 'peak_working_set_bytes')) })"
            "NumPy $(Format-MB (Get-Path $np @('peaks', $w, 'peak_rss_bytes')))"
            "NumSharp $(Format-MB (Get-Path $ns @('peak_working_set_bytes')))"
        ) -join ' / '
        $Rows.Add([ordered]@{
                workload = $w; dataset = $name; cps = $cpsCell; spread = (Format-Spread $cps $w); numpy = (Format-Seconds $npBest); numsharp = $nsCell
                rnp = $rNp; rns = $rNs; target = "≤ $($target.ToString($Inv))× NumPy"; met = $met; peak = $peaks
            })
    }
}

# Cost per emitted object (SPEC section 7: about 2 µs end to end): every cluster of the dataset through
# Select-Cluster | Get-ClusterStatistics, metadata only. Counts must match the dataset's.
foreach ($name in @($R.Keys)) {
    $cps = Get-Path $R[$name] @('clusterps')
    $best = Get-Best $cps 'objects'
    if ($null -eq $best) {
        if ($null -ne (Get-Path $cps @('objects', 'error'))) { $Notes.Add("ClusterPS objects on $name failed: $(Get-Path $cps @('objects', 'error'))") }
        continue
    }
    $clusters = [long](Get-Path $cps @('objects', 'counts', 'clusters'))
    $ok = $clusters -eq [long]$R[$name].manifest.statistics.clusters
    $us = $best / [math]::Max(1, $clusters) * 1e6
    $Rows.Add([ordered]@{
            workload = 'per emitted object'; dataset = $name
            cps = "$(Format-Seconds $best) ($($us.ToString('0.00', $Inv)) µs × $clusters)"; spread = (Format-Spread $cps 'objects')
            numpy = '—'; numsharp = '—'; rnp = '—'; rns = '—'; target = '≈ 2 µs per object'
            met = $(if (-not $ok) { 'n/a (counts differ)' } elseif ($us -le 2.0) { 'yes' } else { 'no' }); peak = '—'
        })
}

# Memory: the largest per-workload peak of a fresh pwsh process, against 300 MB.
foreach ($name in @($R.Keys)) {
    $d = $R[$name]
    $peaks = Get-Path $d @('clusterps', 'peaks')
    if (-not $peaks) { continue }
    $worst = $null; $worstName = ''
    $parts = @()
    foreach ($w in 'statistics', 'charge', 'extraction') {
        $b = Get-Path $peaks @($w, 'peak_working_set_bytes')
        if ($null -eq $b -or (Get-Path $peaks @($w, 'available')) -eq $false -or $null -ne (Get-Path $peaks @($w, 'error'))) { continue }
        $parts += "$w $(Format-MB $b)"
        if ($null -eq $worst -or $b -gt $worst) { $worst = $b; $worstName = $w }
    }
    $base = Get-Path $peaks @('none', 'peak_working_set_bytes')
    if ($null -ne $base) { $parts += "import only $(Format-MB $base)" }
    $ld = Get-Path $d @('numpy', 'load_dataset', 'peak_rss_bytes')
    $met = if ($null -eq $worst) { '—' } elseif ($worst -le 300MB) { 'yes' } else { 'no' }
    $Rows.Add([ordered]@{
            workload = 'memory'; dataset = $name; cps = "$(Format-MB $worst) MB ($worstName)"; spread = '—'
            numpy = $(if ($null -ne $ld) { "$(Format-MB $ld) MB (load_dataset)" } else { '—' }); numsharp = '—'
            rnp = '—'; rns = '—'; target = '≤ 300 MB'; met = $met; peak = "CPS: $($parts -join ', ')"
        })
}

$import = $null
foreach ($name in @($R.Keys)) { $i = Get-Path $R[$name] @('clusterps', 'import'); if ($i) { $import = $i } }
if ($import) {
    $ms = [double]$import.best_ms
    $Rows.Add([ordered]@{
            workload = 'import'; dataset = '—'; cps = "$(($ms / 1000).ToString('0.000', $Inv)) ($($ms.ToString('0', $Inv)) ms)"; spread = '—'
            numpy = '—'; numsharp = '—'; rnp = '—'; rns = '—'; target = '≤ 150 ms'; met = $(if ($ms -le 150) { 'yes' } else { 'no' }); peak = '—'
        })
}

if ($transportError) { $Notes.Add("transport workloads failed: $transportError") }
if ($transport) {
    foreach ($t in @(
            @{ Key = 'job_clusters'; Name = "10,000 clusters from Start-Job"; Limit = 3.0 }
            @{ Key = 'csv'; Name = "20,000 clusters through Export-Csv"; Limit = 1.5 }
            @{ Key = 'job_statistics'; Name = 'statistics of two jobs merged'; Limit = $null })) {
        $sec = Get-Path $transport @($t.Key, 'best')
        $Rows.Add([ordered]@{
                workload = $t.Name; dataset = (Split-Path -Leaf $transportData); cps = (Format-Seconds $sec); spread = (Format-Spread $transport $t.Key)
                numpy = '—'; numsharp = '—'; rnp = '—'; rns = '—'
                target = $(if ($t.Limit) { "≤ $($t.Limit.ToString($Inv)) s" } else { '—' })
                met = $(if ($null -eq $sec -or -not $t.Limit) { '—' } elseif ($sec -le $t.Limit) { 'yes' } else { 'no' }); peak = '—'
            })
    }
}

$header = '| workload | dataset | ClusterPS s | CPS runs best / median / worst | NumPy s | NumSharp s | ratio CPS/NumPy | ratio CPS/NumSharp | target | met? | peak MB per process |'
$sep = '|---|---|---:|---|---:|---:|---:|---:|---|---|---|'
$table = @($header, $sep) + @($Rows | ForEach-Object {
        "| $($_.workload) | $($_.dataset) | $($_.cps) | $($_.spread) | $($_.numpy) | $($_.numsharp) | $($_.rnp) | $($_.rns) | $($_.target) | $($_.met) | $($_.peak) |"
    })
$tableText = $table -join "`n"

#endregion

#region Machine header and output

function Get-FirstMatch([string] $File, [string] $Pattern) {
    if (-not (Test-Path -LiteralPath $File)) { return '?' }
    $line = Select-String -LiteralPath $File -Pattern $Pattern | Select-Object -First 1
    if ($line) { ($line.Line -split ':', 2)[1].Trim() } else { '?' }
}
function Try-Run([scriptblock] $Block) { try { (& $Block) -join ' ' } catch { '?' } }

$osName = '?'
if (Test-Path /etc/os-release) {
    $l = Select-String -LiteralPath /etc/os-release -Pattern '^PRETTY_NAME=' | Select-Object -First 1
    if ($l) { $osName = ($l.Line -replace '^PRETTY_NAME=', '').Trim('"') }
}
$memKb = Get-FirstMatch '/proc/meminfo' '^MemTotal'
$cpu = Get-FirstMatch '/proc/cpuinfo' '^model name'
$nproc = Try-Run { nproc }
$kernel = Try-Run { uname -r }
$dotnetVersion = Try-Run { dotnet --version }
$numpyVersion = Try-Run { & env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $Python -c 'import numpy; print(numpy.__version__)' }
$numsharpVersion = '?'
foreach ($name in @($R.Keys)) { $v = Get-Path $R[$name] @('numsharp', 'statistics', 'numsharp_version'); if ($v) { $numsharpVersion = $v } }
$gitRev = Try-Run { git -C $RepoRoot rev-parse --short HEAD }
$gitDirty = Try-Run { git -C $RepoRoot status --porcelain -- src module }
$load = Try-Run { Get-Content /proc/loadavg }
$elapsed = $started.Elapsed

$datasetLines = foreach ($name in @($R.Keys)) {
    $m = $R[$name].manifest
    "- $name : $($m.clusters) clusters in $($m.files) $(if ($m.compressed) { 'np.savez_compressed' } else { 'np.savez' }) files, " +
    "$(([double]$m.bytes / 1e9).ToString('0.00', $Inv)) GB, charge cut C = $($m.charge_cut) ($($m.charge_pass) pass); just before measuring: $($R[$name].load_before)" +
    $(if ($R[$name]['scaling']) { $sc = $R[$name].scaling; "; $($sc.processes) processes at once did $($sc.memory.speedup)× (memory-bound) and $($sc.compute.speedup)× (compute-bound) the work of one (bench/machine_scaling.py)" } else { '' })
}

$md = @"
# ClusterPS benchmark results

Generated by ``dotnet pwsh ./bench/run.ps1$(if ($Quick) { ' -Quick' })`` (see bench/README.md) on $((Get-Date).ToString('yyyy-MM-dd HH:mm zzz', $Inv)).

| machine | |
|---|---|
| CPU | $cpu ($nproc cores seen by ``nproc``) |
| RAM | $memKb |
| OS | $osName, kernel $kernel |
| dotnet | $dotnetVersion |
| pwsh | $($PSVersionTable.PSVersion) |
| NumPy | $numpyVersion (/usr/bin/python3, OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset) |
| NumSharp | $numsharpVersion |
| ClusterPS | $version, commit $gitRev$(if ($gitDirty -and $gitDirty -ne '?') { ' plus uncommitted changes in src/ or module/' }) |
| load average (1, 5, 15 min) at start / end | $loadAtStart / $load |
| runs | best of $Runs after one warm-up, warm page cache |
| integrity checks | on, as in every ClusterPS read: CRC-32 of every metadata member, and of the images member whenever all of it is read (the charge scan, the export); batch file stamps; regular-file check |
| whole run took | $([int]$elapsed.TotalMinutes) min $($elapsed.Seconds) s |

Datasets:
$($datasetLines -join "`n")

$tableText

Ratios are ClusterPS time / peer time (below 1 means ClusterPS is faster). A ratio is shown only when both
sides counted the same clusters (and agree with what the generator wrote); otherwise it reads 'n/a'. 'met?'
needs the ratio to NumPy within the target and, where NumSharp was measured, ClusterPS ahead of NumSharp too
(SPEC section 7: ahead of both peers on every workload). Peak MB is the peak working set (ClusterPS,
NumSharp) or peak resident set (NumPy) of a fresh process that ran that one workload; NumSharp's is the peak of
its whole timing process for that workload. Raw JSON of this run: $raw.
"@
if ($Problems.Count -gt 0) {
    $md += "`n`n**Problems found in this run:**`n`n" + (($Problems | ForEach-Object { "- $_" }) -join "`n") + "`n"
}
if ($Notes.Count -gt 0) {
    $md += "`n`nNotes:`n`n" + (($Notes | ForEach-Object { "- $_" }) -join "`n") + "`n"
}

Set-Content -LiteralPath $OutFile -Value $md -Encoding utf8NoBOM
Write-Host ''
Write-Host $tableText
Write-Host ''
if ($Problems.Count -gt 0) {
    Write-Host "!!!!! $($Problems.Count) problem(s): counts or exports disagree, see above and $OutFile" -ForegroundColor Red
}
Write-Host "Results written to $OutFile (raw JSON: $raw); the run took $([int]$elapsed.TotalMinutes) min $($elapsed.Seconds) s."

#endregion
