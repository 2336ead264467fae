# Long scans report progress, throttled to a few records a second, and close it when done.

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')

    # 300 small batch files: a scan long enough to need progress, quick enough for a test.
    $script:Dataset = Join-Path $TestDrive 'many'
    $null = New-Item -ItemType Directory -Path $script:Dataset
    $source = Get-TestDataPath 'golden/clusters_planeX_batch0007.npz'
    foreach ($n in 0..299) {
        Copy-Item -LiteralPath $source -Destination (Join-Path $script:Dataset ('clusters_planeX_batch{0:D4}.npz' -f $n))
    }

    function Measure-Progress([scriptblock] $Command) {
        # Runs the command in a new runspace of this process; returns its progress records and run time.
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$(Get-ModuleManifestPath)'").AddStatement().AddScript($Command).AddArgument($script:Dataset)
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $null = $ps.Invoke()
        $watch.Stop()
        $records = @($ps.Streams.Progress)
        $errors = @($ps.Streams.Error)
        $ps.Dispose()
        [pscustomobject]@{ Records = $records; Seconds = $watch.Elapsed.TotalSeconds; Errors = $errors }
    }
}

Describe 'Progress on long scans' {
    It '<Name> reports progress no more than four times a second and completes it' -ForEach @(
        @{ Name = 'Test-ClusterDataset'; Command = { param($d) Test-ClusterDataset $d | Out-Null } }
        @{ Name = 'Get-ClusterStatistics'; Command = { param($d) Get-ClusterStatistics $d | Out-Null } }
        @{ Name = 'Select-Cluster'; Command = { param($d) Select-Cluster $d -MinCharge 0 | Out-Null } }
        @{ Name = 'Get-ClusterBatch'; Command = { param($d) Get-ClusterBatch $d | Out-Null } }
        @{ Name = 'Get-ClusterHistogram'; Command = { param($d) Get-ClusterHistogram $d -Property Charge | Out-Null } }
        @{ Name = 'Export-ClusterReport'; Command = { param($d) $d | Export-ClusterReport "$d.html" -Force } }
    ) {
        $run = Measure-Progress $Command

        $run.Errors | Should -BeNullOrEmpty
        $updates = @($run.Records | Where-Object RecordType -EQ 'Processing')
        $updates.Count | Should -BeGreaterOrEqual 1
        # The first update comes at once, then at most one per 250 ms.
        $updates.Count | Should -BeLessOrEqual ([math]::Floor($run.Seconds * 4) + 1)
        $updates[0].StatusDescription | Should -Match '^\d+ of 300 files: clusters_planeX_batch\d{4}\.npz$'
        $updates[0].PercentComplete | Should -BeIn (0..100)
        $run.Records[-1].RecordType | Should -Be 'Completed'
    }
}
