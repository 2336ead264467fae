# Integrity (issue 13), as a user meets it: CRC-32 failures are the file's ChecksumMismatch error
# and export nothing from it; a file replaced after its clusters were read is FileChanged, never
# another file's pixels; FIFOs and devices are refused at once; temporary files that a killed
# export left are reported by the audit and removed by a later Export-ClusterBatch -Force.
# Files from tests/data/make_integrity.py.

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:Data = Get-TestDataPath 'integrity'
    $script:Valid = Join-Path $script:Data 'clusters_planeX_batch0000.npz'

    function Copy-Batch([string] $Name, [string] $As) {
        # Copies a file of tests/data/integrity into a fresh folder of TestDrive under a batch name.
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $folder
        $target = Join-Path $folder $As
        Copy-Item -LiteralPath (Join-Path $script:Data $Name) -Destination $target
        $target
    }

    function Start-Pwsh([string] $Script) {
        # Starts a new PowerShell process running the script (its output to files in TestDrive); returns the process.
        $pwsh = [Environment]::ProcessPath
        [string[]] $arguments = @()
        if ([IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { $arguments = @(Join-Path $PSHOME 'pwsh.dll') }
        $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($Script))
        $log = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        Start-Process -FilePath $pwsh -ArgumentList ($arguments + @('-NoProfile', '-NonInteractive', '-EncodedCommand', $encoded)) -PassThru `
            -RedirectStandardOutput "$log.out" -RedirectStandardError "$log.err"
    }
}

Describe 'CRC-32 checks' {
    It 'a charge scan over every cluster of a file with a flipped image bit is its ChecksumMismatch error' {
        $file = Copy-Batch 'images_bitflip_stored.npz' 'clusters_planeX_batch0000.npz'
        $clusters = @(Select-Cluster $file -MinCharge 0 -ErrorVariable errors -ErrorAction SilentlyContinue)

        $clusters | Should -BeNullOrEmpty
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ClusterPS.ChecksumMismatch*'
        $errors[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $errors[0].TargetObject | Should -Be $file
        $errors[0].Exception.Message | Should -BeLike "*'$file'*CRC-32*"
    }

    It 'selecting on metadata alone still lists the clusters of that file' {
        $file = Copy-Batch 'images_bitflip_stored.npz' 'clusters_planeX_batch0000.npz'
        @(Select-Cluster $file).Count | Should -Be 6
    }

    It 'Export-ClusterBatch writes nothing from it, and one error, while other files are written' {
        $bad = Copy-Batch 'images_bitflip_deflate.npz' 'clusters_planeX_batch0000.npz'
        $good = Copy-Batch 'clusters_planeX_batch0000.npz' 'clusters_planeX_batch0000.npz'
        $out = Join-Path $TestDrive 'exported'
        Select-Cluster $bad, $good | Export-ClusterBatch $out -ErrorVariable errors -ErrorAction SilentlyContinue

        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ClusterPS.ChecksumMismatch*'
        $errors[0].TargetObject | Should -Be $bad
        $written = @(Get-ClusterBatch $out)
        $written.Count | Should -Be 1
        $written[0].Count | Should -Be 6
        @(Get-ChildItem -LiteralPath $out -Force -Filter *.tmp) | Should -BeNullOrEmpty
    }

    It 'a flipped bit in the metadata fails Get-ClusterBatch' {
        $file = Copy-Batch 'meta_bitflip_stored.npz' 'clusters_planeX_batch0000.npz'
        Get-ClusterBatch $file -ErrorVariable errors -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ClusterPS.ChecksumMismatch*'
    }

    It 'the audit reports a CRC mismatch of the images as an Error' {
        $file = Copy-Batch 'images_bitflip_stored.npz' 'clusters_planeX_batch0000.npz'
        $finding = Test-ClusterDataset $file | Where-Object Rule -eq 'CrcMismatch'
        $finding.Severity | Should -Be 'Error'
        Test-ClusterDataset $file -Quiet | Should -BeFalse
    }
}

Describe 'Files changed after they were read' {
    It 'reading the image of a cluster whose file was replaced is FileChanged, never the other pixels' {
        $file = Copy-Batch 'clusters_planeX_batch0000.npz' 'clusters_planeX_batch0000.npz'
        $written = (Get-Item -LiteralPath $file).LastWriteTimeUtc
        $clusters = @(Select-Cluster $file)
        Copy-Item -LiteralPath (Join-Path $script:Data 'other_same_length.npz') -Destination $file -Force
        (Get-Item -LiteralPath $file).LastWriteTimeUtc = $written # same length, same time: only the layout tells

        $clusters[0] | Show-Cluster -ErrorVariable errors -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ClusterPS.FileChanged*'
        $errors[0].Exception.Message | Should -BeLike "*'$file'*changed since it was read*"
        { $clusters[0].GetImage() } | Should -Throw "*'$file'*changed since it was read*"
        # PowerShell turns an exception of a property getter into $null: still never the other file's pixels.
        $clusters[0].Image | Should -BeNullOrEmpty
        $clusters[0].Batch.Length | Should -Be (Get-Item -LiteralPath $file).Length
    }

    It 'exporting such clusters is the file''s ClusterPS.FileChanged error and writes nothing' {
        $file = Copy-Batch 'clusters_planeX_batch0000.npz' 'clusters_planeX_batch0000.npz'
        $clusters = @(Select-Cluster $file)
        (Get-Item -LiteralPath $file).LastWriteTimeUtc = [datetime]::UtcNow.AddMinutes(-5)
        $out = Join-Path $TestDrive 'changed'
        $clusters | Export-ClusterBatch $out -ErrorVariable errors -ErrorAction SilentlyContinue

        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ClusterPS.FileChanged*'
        $errors[0].TargetObject | Should -Be $file
        @(Get-ChildItem -LiteralPath $out -Force -ErrorAction Ignore) | Should -BeNullOrEmpty
    }
}

Describe 'Files that are not regular files' -Skip:$IsWindows {
    It 'a FIFO in a directory and as a path, and a device as a path, are refused at once' {
        $folder = Join-Path $TestDrive 'fifo'
        $null = New-Item -ItemType Directory -Path $folder
        Copy-Item -LiteralPath $script:Valid -Destination $folder
        $fifo = Join-Path $folder 'clusters_planeU_batch0000.npz'
        & mkfifo $fifo
        $device = Join-Path $TestDrive 'clusters_planeV_batch0000.npz'
        $null = New-Item -ItemType SymbolicLink -Path $device -Target '/dev/null'

        # In another process, so that a hang fails the test instead of blocking it.
        $job = Start-Job -ScriptBlock {
            param($ModulePath, $Folder, $Fifo, $Device)
            Import-Module $ModulePath
            $batches = @(Get-ClusterBatch $Folder -ErrorVariable inFolder -ErrorAction SilentlyContinue)
            $null = Get-ClusterBatch -LiteralPath $Fifo -ErrorVariable asPath -ErrorAction SilentlyContinue
            $null = Select-Cluster $Device -ErrorVariable device -ErrorAction SilentlyContinue
            $audit = @(Test-ClusterDataset $Folder | Where-Object Path -eq $Fifo)
            [pscustomobject]@{
                Batches = $batches.Count
                Errors  = @($inFolder + $asPath + $device | ForEach-Object { $_.FullyQualifiedErrorId + '|' + $_.Exception.Message })
                Audit   = $audit.Severity
            }
        } -ArgumentList (Get-ModuleManifestPath), $folder, $fifo, $device
        $finished = Wait-Job $job -Timeout 60
        $result = Receive-Job $job
        Remove-Job $job -Force

        $finished | Should -Not -BeNullOrEmpty -Because 'reading must not block on a FIFO'
        $result.Batches | Should -Be 1
        $result.Errors.Count | Should -Be 3
        $result.Errors[0] | Should -BeLike "ClusterPS.NotARegularFile*|*'$fifo'*FIFO*"
        $result.Errors[1] | Should -BeLike "ClusterPS.NotARegularFile*|*FIFO*"
        $result.Errors[2] | Should -BeLike "ClusterPS.NotARegularFile*|*'$device'*character device*"
        $result.Audit | Should -Be 'Error'
    }
}

Describe 'Leftovers of killed exports' {
    It 'a SIGKILL mid-write leaves a temporary file that the audit reports and a later -Force export removes' -Skip:$IsWindows {
        $out = Join-Path $TestDrive 'killed'
        $null = New-Item -ItemType Directory -Path $out
        # One 6000-cluster compressed batch of plane X takes a second or more to write.
        $child = Start-Pwsh @"
Import-Module '$(Get-ModuleManifestPath)'
`$clusters = @(Select-Cluster '$(Get-SamplesPath)' -Plane X)
& { foreach (`$i in 1..40) { `$clusters } } | Export-ClusterBatch '$out' -Compress -BatchSize 6000
"@
        try {
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while (-not (Get-ChildItem -LiteralPath $out -Force -Filter '.*.tmp') -and [DateTime]::UtcNow -lt $deadline -and -not $child.HasExited) {
                Start-Sleep -Milliseconds 5
            }
            & kill -KILL $child.Id
            $child.WaitForExit()
        }
        finally {
            if (-not $child.HasExited) { $child.Kill() }
        }

        $leftover = @(Get-ChildItem -LiteralPath $out -Force -Filter '.*.tmp')
        $leftover.Count | Should -Be 1 -Because 'the export was killed while writing its first batch'
        $leftover[0].Name | Should -Match '^\.clusters_planeX_batch0000\.npz\.[0-9a-f]{8}\.tmp$'
        Start-Sleep -Milliseconds 1100 # the audit never probes a file younger than a second

        $finding = @(Test-ClusterDataset $out -WarningAction SilentlyContinue | Where-Object Rule -eq 'StaleTempFile')
        $finding.Count | Should -Be 1
        $finding[0].Severity | Should -Be 'Warning'
        $finding[0].Path | Should -Be $leftover[0].FullName
        $finding[0].Message | Should -BeLike "*$($leftover[0].Name)*"
        Test-ClusterDataset $out -Quiet -Strict -WarningAction SilentlyContinue | Should -BeFalse

        # Younger than the safety margin: another machine's export might still be writing it.
        Select-Cluster $script:Valid | Export-ClusterBatch $out -Force
        $leftover[0].FullName | Should -Exist
        $leftover[0].LastWriteTimeUtc = [DateTime]::UtcNow.AddMinutes(-11)
        $verbose = Select-Cluster $script:Valid | Export-ClusterBatch $out -Force -Verbose 4>&1
        $leftover[0].FullName | Should -Not -Exist
        "$verbose" | Should -BeLike "*Removed '$($leftover[0].FullName)'*"
        @(Test-ClusterDataset $out | Where-Object Rule -eq 'StaleTempFile') | Should -BeNullOrEmpty
    }

    It 'only -Force removes leftovers, only those of seed batch names, and never one a writer holds' {
        $out = Join-Path $TestDrive 'leftovers'
        $null = New-Item -ItemType Directory -Path $out
        $old = [DateTime]::UtcNow.AddMinutes(-30)
        $names = '.clusters_planeU_batch0003.npz.0badf00d.tmp', '.clusters_planeU_batch0004.npz.0badf00d.tmp', '.mine.npz.0badf00d.tmp'
        foreach ($name in $names) {
            $path = Join-Path $out $name
            [IO.File]::WriteAllBytes($path, [byte[]] (1, 2, 3))
            (Get-Item -LiteralPath $path -Force).LastWriteTimeUtc = $old
        }
        $held = [IO.FileStream]::new((Join-Path $out $names[1]), 'Open', 'Write', 'None')
        try {
            Select-Cluster $script:Valid | Export-ClusterBatch (Join-Path $out 'sub')
            Select-Cluster $script:Valid | Export-ClusterBatch $out
            (Get-ChildItem -LiteralPath $out -Force -Filter '*.tmp').Name | Sort-Object | Should -Be ($names | Sort-Object)
            @(Test-ClusterDataset $out | Where-Object Rule -eq 'StaleTempFile').Path | Sort-Object | Should -Be ((Join-Path $out $names[0]), (Join-Path $out $names[2]) | Sort-Object)

            Select-Cluster $script:Valid | Export-ClusterBatch $out -Force
            (Get-ChildItem -LiteralPath $out -Force -Filter '*.tmp').Name | Sort-Object | Should -Be ($names[1], $names[2] | Sort-Object)
        }
        finally {
            $held.Dispose()
        }
    }
}

Describe 'Refused compression methods' {
    It 'names the method' {
        $file = Get-TestDataPath 'adversarial/member_images_bzip2.npz'
        Get-ClusterBatch $file -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors[0].Exception.Message | Should -BeLike '*compression method 12 (bzip2)*'
    }
}
