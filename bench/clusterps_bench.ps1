#Requires -Version 7.2
<#
.SYNOPSIS
    The ClusterPS side of the benchmark (SPEC section 7, bench/README.md).

.DESCRIPTION
    In ONE pwsh process: Import-Module the built module, one warm-up call of each workload,
    then the best of -Runs timed calls:

      statistics  Get-ClusterStatistics DIR
      charge      Get-ClusterBatch DIR | Select-Cluster -MinCharge C | Get-ClusterStatistics
      extraction  Get-ClusterBatch DIR -Plane X | Select-Cluster -Marley | Export-ClusterBatch OUT -Force
      objects     Select-Cluster DIR | Get-ClusterStatistics: every cluster as an object across one
                  pipeline hop, metadata only (no pixels read), for the cost per emitted object

    Separately, in fresh child pwsh processes:
      -ImportRuns N   Measure-Command { Import-Module <psd1> } in N fresh processes (best and all)
      -Peaks          each workload in its own fresh process (import, one call), reporting that
                      process's PeakWorkingSet64, so each peak belongs to one workload; plus a
                      process that only imports the module (the baseline)

    Prints one JSON object. A workload the module cannot run yet (Export-ClusterBatch not
    exported) is recorded as not available; an error in a workload is recorded, not thrown.
    Progress output is switched off ($ProgressPreference = 'SilentlyContinue').

.EXAMPLE
    dotnet pwsh -NoProfile -File bench/clusterps_bench.ps1 -Dataset ~/.cache/clusterps-bench/stored200k -Peaks
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)]
    [string] $Dataset,

    # The module build.ps1 assembled (out/ClusterPS/<version>/).
    [string] $ModulePath = (Join-Path $PSScriptRoot '..' 'out' 'ClusterPS' (Import-PowerShellDataFile (Join-Path $PSScriptRoot '..' 'module' 'ClusterPS.psd1')).ModuleVersion 'ClusterPS.psd1'),

    [int] $Runs = 5,

    [double] $ChargeCut = [double]::NaN,

    [ValidateSet('statistics', 'charge', 'extraction', 'objects')]
    [string[]] $Workloads = @('statistics', 'charge', 'extraction', 'objects'),

    [switch] $Peaks,

    [int] $ImportRuns = 0,

    # Internal: run one workload once in this (child) process and print its peak.
    [ValidateSet('', 'none', 'statistics', 'charge', 'extraction', 'objects')]
    [string] $Child = ''
)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Set-StrictMode -Version 3.0

$Dataset = (Resolve-Path -LiteralPath $Dataset).ProviderPath
$ModulePath = (Resolve-Path -LiteralPath $ModulePath).ProviderPath
if ([double]::IsNaN($ChargeCut)) {
    $ChargeCut = [double]::Parse((Get-Content -LiteralPath (Join-Path $Dataset 'charge_cut.txt') -Raw).Trim(),
        [Globalization.CultureInfo]::InvariantCulture)
}

function Get-PwshCommand {
    # The command that starts a new process of this PowerShell (under 'dotnet pwsh' the process
    # is the dotnet host running pwsh.dll from $PSHOME).
    $processPath = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($processPath) -eq 'dotnet') {
        return , @($processPath, (Join-Path $PSHOME 'pwsh.dll'))
    }
    , @($processPath)
}

function Invoke-Pwsh {
    # Runs a fresh pwsh with the given arguments; returns its standard output as one string.
    param([string[]] $Arguments)
    $pwsh = Get-PwshCommand
    $exe = $pwsh[0]
    $rest = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive') + $Arguments
    $output = & $exe @rest 2>&1
    $text = ($output | ForEach-Object { "$_" }) -join "`n"
    if ($LASTEXITCODE -ne 0) { throw "child pwsh failed ($LASTEXITCODE): $text" }
    $text
}

function Test-ExportAvailable {
    $null -ne (Get-Command -Name Export-ClusterBatch -Module ClusterPS -ErrorAction SilentlyContinue)
}

function New-OutDir {
    $dir = Join-Path ([IO.Path]::GetTempPath()) ("clusterps-bench-export-" + [guid]::NewGuid().ToString('n').Substring(0, 8))
    $null = New-Item -ItemType Directory -Path $dir -Force
    $dir
}

function Invoke-Workload {
    # Runs a workload once; returns its counts. Only the pipeline itself is inside $sw.
    param([string] $Name, [string] $OutDir, [Diagnostics.Stopwatch] $Stopwatch)
    switch ($Name) {
        'statistics' {
            $Stopwatch.Restart()
            $s = Get-ClusterStatistics $Dataset
            $Stopwatch.Stop()
            return [ordered]@{
                clusters = $s.Clusters; U = $s.PlaneU; V = $s.PlaneV; X = $s.PlaneX
                ES = $s.ES; CC = $s.CC; marley = $s.Marley; main_track = $s.MainTrack
            }
        }
        'charge' {
            $Stopwatch.Restart()
            $s = Get-ClusterBatch $Dataset | Select-Cluster -MinCharge $ChargeCut | Get-ClusterStatistics
            $Stopwatch.Stop()
            return [ordered]@{ pass = $s.Clusters; pass_marley = $s.Marley }
        }
        'objects' {
            $Stopwatch.Restart()
            $s = Select-Cluster $Dataset | Get-ClusterStatistics
            $Stopwatch.Stop()
            return [ordered]@{ clusters = $s.Clusters }
        }
        'extraction' {
            Get-ChildItem -LiteralPath $OutDir -Force | Remove-Item -Recurse -Force
            $Stopwatch.Restart()
            Get-ClusterBatch $Dataset -Plane X | Select-Cluster -Marley | Export-ClusterBatch $OutDir -Force
            $Stopwatch.Stop()
            # Counted after the clock stops, by the module itself; run.ps1 also checks with NumPy.
            $s = Get-ClusterStatistics $OutDir
            return [ordered]@{ clusters = $s.Clusters; files = $s.Batches; marley = $s.Marley; X = $s.PlaneX }
        }
    }
}

function Measure-Workload {
    param([string] $Name, [string] $OutDir)
    if ($Name -eq 'extraction' -and -not (Test-ExportAvailable)) {
        return [ordered]@{ available = $false; note = 'not available: Export-ClusterBatch is not exported by the module' }
    }
    $sw = [Diagnostics.Stopwatch]::new()
    $times = [Collections.Generic.List[double]]::new()
    $counts = $null
    try {
        $counts = Invoke-Workload $Name $OutDir $sw          # warm-up
        for ($i = 0; $i -lt $Runs; $i++) {
            $counts = Invoke-Workload $Name $OutDir $sw
            $times.Add($sw.Elapsed.TotalSeconds)
        }
    }
    catch {
        return [ordered]@{ available = $true; error = "$_"; times = $times.ToArray(); counts = $counts }
    }
    [ordered]@{ available = $true; best = ($times | Measure-Object -Minimum).Minimum; times = $times.ToArray(); counts = $counts }
}

function Get-PeakWorkingSet {
    $p = [Diagnostics.Process]::GetCurrentProcess()
    $p.Refresh()
    $p.PeakWorkingSet64
}

if ($Child) {
    # A fresh process: import, run one workload once, report its peak working set.
    Import-Module $ModulePath
    $info = [ordered]@{ workload = $Child }
    if ($Child -ne 'none') {
        if ($Child -eq 'extraction' -and -not (Test-ExportAvailable)) {
            $info.available = $false
        }
        else {
            $out = New-OutDir
            try {
                $sw = [Diagnostics.Stopwatch]::new()
                $info.counts = Invoke-Workload $Child $out $sw
                $info.seconds = $sw.Elapsed.TotalSeconds
            }
            catch { $info.error = "$_" }
            finally { Remove-Item -LiteralPath $out -Recurse -Force -ErrorAction SilentlyContinue }
        }
    }
    $info.peak_working_set_bytes = Get-PeakWorkingSet
    $info | ConvertTo-Json -Compress -Depth 5
    return
}

$result = [ordered]@{
    side       = 'ClusterPS'
    module     = $ModulePath
    version    = (Import-PowerShellDataFile -LiteralPath $ModulePath).ModuleVersion
    pwsh       = $PSVersionTable.PSVersion.ToString()
    dataset    = $Dataset
    files      = @(Get-ChildItem -LiteralPath $Dataset -Filter *.npz -File).Count
    runs       = $Runs
    charge_cut = $ChargeCut
}

Import-Module $ModulePath
$result.export_available = Test-ExportAvailable

$outDir = New-OutDir
try {
    foreach ($name in $Workloads) {
        $result[$name] = Measure-Workload $name $outDir
    }
    if ($Workloads -contains 'extraction' -and $result.extraction.available) {
        # Leave the last export for run.ps1 to check with NumPy.
        $keep = Join-Path ([IO.Path]::GetTempPath()) 'clusterps-bench-last-export'
        if (Test-Path -LiteralPath $keep) { Remove-Item -LiteralPath $keep -Recurse -Force }
        Move-Item -LiteralPath $outDir -Destination $keep
        $result.extraction.out_dir = $keep
        $outDir = $null
    }
}
finally {
    if ($outDir) { Remove-Item -LiteralPath $outDir -Recurse -Force -ErrorAction SilentlyContinue }
}
$result.peak_working_set_bytes_timing_process = Get-PeakWorkingSet

if ($ImportRuns -gt 0) {
    $ms = [Collections.Generic.List[double]]::new()
    $literal = "'" + $ModulePath.Replace("'", "''") + "'"
    for ($i = 0; $i -lt $ImportRuns; $i++) {
        $text = Invoke-Pwsh @('-Command', "(Measure-Command { Import-Module $literal }).TotalMilliseconds")
        $ms.Add([double]::Parse(($text -split "`n")[-1].Trim(), [Globalization.CultureInfo]::InvariantCulture))
    }
    $result.import = [ordered]@{ best_ms = ($ms | Measure-Object -Minimum).Minimum; times_ms = $ms.ToArray() }
}

if ($Peaks) {
    $peaksResult = [ordered]@{}
    $self = $PSCommandPath
    foreach ($name in @('none') + @($Workloads | Where-Object { $_ -ne 'objects' })) {  # objects: the charge scan's peak covers it
        try {
            $text = Invoke-Pwsh @('-File', $self, '-Dataset', $Dataset, '-ModulePath', $ModulePath,
                '-ChargeCut', $ChargeCut.ToString('R', [Globalization.CultureInfo]::InvariantCulture), '-Child', $name)
            $peaksResult[$name] = ($text -split "`n")[-1] | ConvertFrom-Json -AsHashtable
        }
        catch {
            $peaksResult[$name] = [ordered]@{ error = "$_" }
        }
    }
    $result.peaks = $peaksResult
}

$result | ConvertTo-Json -Depth 6
