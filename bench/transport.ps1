#Requires -Version 7.2
<#
.SYNOPSIS
    The transport and table workloads of SPEC section 7 (objects that travel, section 9).

.DESCRIPTION
    Prints one JSON object with the seconds of:

      job_clusters   Start-Job { Import-Module; Select-Cluster ... | Select-Object -First N }
                     then Receive-Job: N clusters (-Clusters, default 10,000) serialized in the
                     job, deserialized (and rehydrated) here. Also timed: a job that only
                     imports the module (job_startup), so the cost of the objects themselves is
                     job_clusters - job_startup.
      job_statistics Two jobs, each Get-ClusterStatistics over half of the dataset's files,
                     received here and merged with '+'.
      csv            N clusters (-CsvClusters, default 20,000), already selected in this
                     session, through Export-Csv to a temporary file.

    The clusters come from -Dataset (default: the shipped samples/, 450 clusters), read as many
    times as it takes to reach N. Best of -Runs for each; nothing is asserted, an error in a
    workload is recorded, not thrown. The tests (tests/Remoting.Tests.ps1) check correctness.

.EXAMPLE
    dotnet pwsh -NoProfile -File bench/transport.ps1
.EXAMPLE
    dotnet pwsh -NoProfile -File bench/transport.ps1 -Dataset ~/.cache/clusterps-bench/stored200k -Runs 3
#>
[CmdletBinding()]
param(
    [string] $Dataset = (Join-Path $PSScriptRoot '..' 'samples'),

    # The module build.ps1 assembled (out/ClusterPS/<version>/).
    [string] $ModulePath = (Join-Path $PSScriptRoot '..' 'out' 'ClusterPS' (Import-PowerShellDataFile (Join-Path $PSScriptRoot '..' 'module' 'ClusterPS.psd1')).ModuleVersion 'ClusterPS.psd1'),

    [int] $Clusters = 10000,

    [int] $CsvClusters = 20000,

    [int] $Runs = 3
)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Set-StrictMode -Version 3.0

$Dataset = (Resolve-Path -LiteralPath $Dataset).ProviderPath
$ModulePath = (Resolve-Path -LiteralPath $ModulePath).ProviderPath
Import-Module $ModulePath

$datasetClusters = (Get-ClusterStatistics -LiteralPath $Dataset).Clusters
if ($datasetClusters -eq 0) {
    throw "$Dataset has no clusters."
}

function Get-Passes([int] $Count) {
    # How many times the dataset is read to give $Count clusters.
    [math]::Ceiling($Count / $datasetClusters)
}

function Measure-Best {
    # Runs $Script -Runs times; returns the best and all times, and what the last run returned.
    param([scriptblock] $Script)
    $times = [Collections.Generic.List[double]]::new()
    $last = $null
    try {
        for ($i = 0; $i -lt $Runs; $i++) {
            $sw = [Diagnostics.Stopwatch]::StartNew()
            $last = & $Script
            $sw.Stop()
            $times.Add([math]::Round($sw.Elapsed.TotalSeconds, 3))
        }
    }
    catch {
        return [ordered]@{ error = "$_"; times = $times.ToArray() }
    }
    [ordered]@{ best = ($times | Measure-Object -Minimum).Minimum; times = $times.ToArray(); result = $last }
}

$result = [ordered]@{
    side     = 'ClusterPS transport'
    module   = $ModulePath
    version  = (Import-PowerShellDataFile -LiteralPath $ModulePath).ModuleVersion
    pwsh     = $PSVersionTable.PSVersion.ToString()
    dataset  = $Dataset
    clusters = $datasetClusters
    runs     = $Runs
}

$result.job_startup = Measure-Best {
    $job = Start-Job -ScriptBlock { param($m) Import-Module $m } -ArgumentList $ModulePath
    try { $null = Receive-Job -Job $job -Wait -ErrorAction Stop } finally { Remove-Job -Job $job -Force }
    'imported'
}

$paths = @($Dataset) * (Get-Passes $Clusters)
$result.job_clusters = Measure-Best {
    $job = Start-Job -ScriptBlock {
        param($m, $p, $n)
        Import-Module $m
        Select-Cluster -LiteralPath $p | Select-Object -First $n
    } -ArgumentList $ModulePath, $paths, $Clusters
    try { $received = @(Receive-Job -Job $job -Wait -ErrorAction Stop) } finally { Remove-Job -Job $job -Force }
    [ordered]@{ count = $received.Count; type = $received[0].GetType().FullName }
}

$files = @(Get-ClusterBatch -LiteralPath $Dataset).Path
$half = [math]::Ceiling($files.Count / 2)
$shards = @(, @($files | Select-Object -First $half)) + @(, @($files | Select-Object -Skip $half))
$result.job_statistics = Measure-Best {
    $jobs = foreach ($shard in $shards) {
        Start-Job -ScriptBlock { param($m, $p) Import-Module $m; Get-ClusterStatistics -LiteralPath $p } -ArgumentList $ModulePath, $shard
    }
    try { $parts = @($jobs | Receive-Job -Wait -ErrorAction Stop) } finally { $jobs | Remove-Job -Force }
    $merged = $parts[0]
    foreach ($part in $parts | Select-Object -Skip 1) { $merged = $merged + $part }
    [ordered]@{ files = $files.Count; clusters = $merged.Clusters; type = $merged.GetType().FullName }
}

$csvSelection = @(Select-Cluster -LiteralPath (@($Dataset) * (Get-Passes $CsvClusters)) | Select-Object -First $CsvClusters)
$csvFile = Join-Path ([IO.Path]::GetTempPath()) ('clusterps-bench-' + [Guid]::NewGuid().ToString('N').Substring(0, 8) + '.csv')
try {
    $result.csv = Measure-Best {
        $csvSelection | Export-Csv -LiteralPath $csvFile -NoTypeInformation
        [ordered]@{ count = $csvSelection.Count; bytes = (Get-Item -LiteralPath $csvFile).Length }
    }
}
finally {
    Remove-Item -LiteralPath $csvFile -ErrorAction Ignore
}

$result | ConvertTo-Json -Depth 5
