# Faults while writing and stopping: Ctrl+C (PowerShell's Stop()) during a long export, a full
# disk, a write-protected folder. Nothing may be left half-written, every file that was
# written must load in NumPy, and files must be released.
#
# The disk-full and write-protection cases need root: they mount a 300 KB tmpfs and set the
# immutable attribute (root ignores ordinary permissions). CI runs as root; elsewhere these
# two tests fail with a message saying so rather than skipping.

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:Samples = Get-SamplesPath
    $script:IsRoot = (& id -u) -eq '0'

    function Assert-Root {
        if (-not $script:IsRoot) { throw 'This test needs root: it mounts a tmpfs / sets chattr +i to cause a real write failure.' }
    }

    function Test-NumpyLoads([string] $Directory) {
        # Returns 'ok N' when every .npz in the folder loads in NumPy with matching shapes.
        $code = @'
import glob, sys, numpy as np
n = 0
for f in sorted(glob.glob(sys.argv[1] + '/*.npz')):
    with np.load(f) as z:
        assert z['images'].shape[0] == z['metadata'].shape[0], f
        assert z['images'].dtype == np.float32 and z['metadata'].shape[1] == 12, f
        n += 1
print('ok', n)
'@
        (& /usr/bin/python3 -c $code $Directory 2>&1) -join "`n"
    }
}

Describe 'Stopping a command (Ctrl+C)' {
    It 'stops a long Export-ClusterBatch within a fraction of a second, leaving only whole files' {
        $out = Join-Path $TestDrive 'stopped'
        $ps = [powershell]::Create()
        $null = $ps.AddScript({
                param($ModulePath, $Samples, $Out)
                Import-Module $ModulePath
                # 200 passes over the samples: about 90,000 clusters, far more than can be written before Stop().
                Select-Cluster -Path (@($Samples) * 200) | Export-ClusterBatch -Path $Out -BatchSize 25
            }).AddArgument((Get-ModuleManifestPath)).AddArgument($script:Samples).AddArgument($out)
        $async = $ps.BeginInvoke()
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        while (@(Get-ChildItem -LiteralPath $out -Filter *.npz -ErrorAction Ignore).Count -lt 3 -and [DateTime]::UtcNow -lt $deadline) {
            Start-Sleep -Milliseconds 20
        }

        $watch = [Diagnostics.Stopwatch]::StartNew()
        $ps.Stop()
        $watch.Stop()
        $completed = $async.IsCompleted
        $ps.Dispose()

        $completed | Should -BeTrue
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 1
        $written = @(Get-ChildItem -LiteralPath $out -Filter *.npz)
        $written.Count | Should -BeGreaterOrEqual 3
        $written.Count | Should -BeLessThan 3600 -Because 'the export must have been stopped before it finished'
        @(Get-ChildItem -LiteralPath $out -Force | Where-Object Name -like '*.tmp') | Should -BeNullOrEmpty
        Test-NumpyLoads $out | Should -Be "ok $($written.Count)"
    }

    It 'releases every file it read once stopped' {
        $ps = [powershell]::Create()
        $null = $ps.AddScript({
                param($ModulePath, $Samples)
                Import-Module $ModulePath
                Select-Cluster -Path (@($Samples) * 2000) -MinCharge 0 | Select-Object -ExpandProperty Charge
            }).AddArgument((Get-ModuleManifestPath)).AddArgument($script:Samples)
        $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
        $async = $ps.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]::new(), $output)
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        while ($output.Count -lt 1000 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 10 }
        $ps.Stop()
        $async.IsCompleted | Should -BeTrue
        $ps.Dispose()

        # An exclusive open fails while any handle (ours included) still holds the file.
        foreach ($file in Get-ChildItem -LiteralPath $script:Samples -Filter *.npz) {
            $stream = [IO.File]::Open($file.FullName, 'Open', 'ReadWrite', 'None')
            $stream.Dispose()
        }
    }
}

Describe 'Write failures' {
    It 'reports a full disk with the target path and leaves no partial file' {
        Assert-Root
        $mount = Join-Path $TestDrive 'full'
        $null = New-Item -ItemType Directory -Path $mount
        & mount -t tmpfs -o size=300k tmpfs $mount
        $LASTEXITCODE | Should -Be 0
        try {
            # Each batch of 20 clusters is about 165 KB: the first fits, the second does not.
            Select-Cluster -Path $script:Samples -Plane X | Select-Object -First 60 |
                Export-ClusterBatch -Path $mount -BatchSize 20 -ErrorVariable failures -ErrorAction SilentlyContinue

            $failures.Count | Should -BeGreaterThan 0
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'BatchWriteFailed*'
            $failures[0].TargetObject | Should -BeLike "$mount*clusters_planeX_batch000*.npz"
            $failures[0].Exception.Message | Should -BeLike '*clusters_planeX_batch000*'
            @(Get-ChildItem -LiteralPath $mount -Force | Where-Object Name -like '*.tmp') | Should -BeNullOrEmpty
            Test-NumpyLoads $mount | Should -Match '^ok [1-9]'
        }
        finally {
            & umount $mount
        }
    }

    It 'reports a write-protected folder with the target path and writes nothing' {
        Assert-Root
        $folder = Join-Path $TestDrive 'protected'
        $null = New-Item -ItemType Directory -Path $folder
        & chattr +i $folder
        $LASTEXITCODE | Should -Be 0
        try {
            Select-Cluster -Path $script:Samples -Plane U |
                Export-ClusterBatch -Path $folder -ErrorVariable failures -ErrorAction SilentlyContinue

            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'BatchWriteFailed*'
            $failures[0].TargetObject | Should -Be (Join-Path $folder 'clusters_planeU_batch0000.npz')
            @(Get-ChildItem -LiteralPath $folder -Force) | Should -BeNullOrEmpty
        }
        finally {
            & chattr -i $folder
        }
    }

    It 'never overwrites an existing batch without -Force, and replaces it whole with -Force' {
        $out = Join-Path $TestDrive 'existing'
        Select-Cluster -Path $script:Samples -Plane V | Export-ClusterBatch -Path $out
        $before = Get-FileHash (Join-Path $out 'clusters_planeV_batch0000.npz')

        Select-Cluster -Path $script:Samples -Plane V -Marley | Export-ClusterBatch -Path $out -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'BatchFileExists*'
        (Get-FileHash (Join-Path $out 'clusters_planeV_batch0000.npz')).Hash | Should -Be $before.Hash

        Select-Cluster -Path $script:Samples -Plane V -Marley | Export-ClusterBatch -Path $out -Force
        (Get-ClusterBatch (Join-Path $out 'clusters_planeV_batch0000.npz')).Count |
            Should -Be @(Select-Cluster -Path $script:Samples -Plane V -Marley).Count
        @(Get-ChildItem -LiteralPath $out -Force | Where-Object Name -like '*.tmp') | Should -BeNullOrEmpty
    }
}
