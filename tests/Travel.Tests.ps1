# Objects that travel (SPEC section 9): batches and clusters piped by value stand for their own
# files; statistics, batches, clusters and findings come back from Export-Clixml, Start-Job and
# ForEach-Object -Parallel as live ClusterPS objects; tables are flat; merges count each file
# and cluster once; -Append lets writers share a folder; outputs must be FileSystem paths.
# Every test runs from a working folder that holds decoys: files named like the sample batches,
# with other contents, so a command that read a name instead of a full path gives a different,
# detectable answer. (Real SSH remoting is in Remoting.Tests.ps1.)

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')

    $script:expected = (Get-Content -Raw -LiteralPath (Get-TestDataPath 'samples_expected.json') | ConvertFrom-Json).total.stats
    $script:data = Join-Path $TestDrive 'data'
    Copy-Item -LiteralPath (Get-SamplesPath) -Destination $script:data -Recurse
    Remove-Item (Join-Path $script:data '*') -Exclude '*.npz'

    # The decoys: plane U and V batches of 3 clusters each (valid), a plane X batch 0000 that is
    # not a zip at all, and no batch 0001.
    $script:decoys = Join-Path $TestDrive 'decoys'
    Select-Cluster $script:data -Plane U, V | Group-Object Plane | ForEach-Object { $_.Group | Select-Object -First 3 } |
        Export-ClusterBatch -LiteralPath $script:decoys
    Set-Content -LiteralPath (Join-Path $script:decoys 'clusters_planeX_batch0000.npz') -Value 'not a batch file'
    Push-Location -LiteralPath $script:decoys

    function Get-Live {
        # What the live objects say, to compare rehydrated ones with.
        [pscustomobject]@{
            Statistics = Get-ClusterStatistics $script:data
            Batches    = @(Get-ClusterBatch $script:data)
            Clusters   = @(Select-Cluster $script:data -Plane X -Marley)
        }
    }

    function ConvertThrough-Clixml {
        # Export-Clixml then Import-Clixml, as a batch scheduler's shards would.
        param([Parameter(ValueFromPipeline)] $InputObject, [string] $Name = 'objects')
        begin { $items = [Collections.Generic.List[object]]::new() }
        process { $items.Add($InputObject) }
        end {
            $file = Join-Path $TestDrive "$Name.clixml"
            $items | Export-Clixml -LiteralPath $file
            Import-Clixml -LiteralPath $file
        }
    }

    $script:live = Get-Live
    $script:module = Get-ModuleManifestPath
}

AfterAll {
    Pop-Location
}

Describe 'Piped objects stand for their own files' {
    It 'has decoys in the working folder that differ from the data' {
        (Get-ClusterBatch ./clusters_planeU_batch0000.npz).Count | Should -Be 3
        { Get-ClusterBatch ./clusters_planeX_batch0000.npz -ErrorAction Stop } | Should -Throw -ErrorId 'ClusterPS.NotAZipFile*'
    }

    It 'Get-ClusterBatch | Get-ClusterBatch describes the same files' {
        $again = @($script:live.Batches | Get-ClusterBatch -ErrorVariable problems)
        $problems | Should -BeNullOrEmpty
        $again.Path | Should -Be $script:live.Batches.Path
        $again.Count | Should -Be $script:live.Batches.Count
    }

    It 'Get-ClusterBatch | Test-ClusterDataset audits the batches, not the decoys' {
        $script:live.Batches | Test-ClusterDataset -Quiet | Should -BeTrue
        @($script:live.Batches | Test-ClusterDataset) | Should -BeNullOrEmpty
    }

    It 'Get-ClusterBatch | <Command> counts the batches' -ForEach @(
        @{ Command = 'Get-ClusterStatistics' }
        @{ Command = 'Select-Cluster' }
    ) {
        $result = $script:live.Batches | & $Command
        if ($Command -eq 'Select-Cluster') { @($result).Count | Should -Be $script:expected.clusters }
        else { $result.Clusters | Should -Be $script:expected.clusters }
    }

    It 'clusters piped to Get-ClusterBatch give each of their files once' {
        $batches = @(Select-Cluster $script:data | Get-ClusterBatch)
        $batches.Path | Should -Be $script:live.Batches.Path
    }

    It 'clusters piped to Test-ClusterDataset audit their files' {
        Select-Cluster $script:data -Plane U | Test-ClusterDataset -Quiet | Should -BeTrue
    }

    It 'Get-ChildItem | Get-ClusterBatch still binds each file by its full path' {
        $batches = @(Get-ChildItem -LiteralPath $script:data -Filter *.npz | Get-ClusterBatch)
        $batches.Count | Should -Be 4
        ($batches | Measure-Object Count -Sum).Sum | Should -Be $script:expected.clusters
    }

    It 'a piped statistics object is not a path: <Command> says what it takes' -ForEach @(
        @{ Command = 'Get-ClusterBatch' }, @{ Command = 'Select-Cluster' }, @{ Command = 'Test-ClusterDataset' }
    ) {
        $null = $script:live.Statistics | & $Command -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems.FullyQualifiedErrorId | Should -BeLike "UnsupportedInput,*"
    }
}

Describe 'Objects that come back from Export-Clixml' {
    BeforeAll {
        $script:stats = $script:live.Statistics | ConvertThrough-Clixml -Name stats
        $script:batches = @($script:live.Batches | ConvertThrough-Clixml -Name batches)
        $script:clusters = @($script:live.Clusters | ConvertThrough-Clixml -Name clusters)
        $script:findings = @(Test-ClusterDataset (Get-TestDataPath 'broken') | ConvertThrough-Clixml -Name findings)
    }

    It 'are live ClusterPS objects again' {
        $script:stats.GetType().FullName | Should -Be 'ClusterPS.ClusterStatistics'
        $script:batches[0].GetType().FullName | Should -Be 'ClusterPS.ClusterBatch'
        $script:clusters[0].GetType().FullName | Should -Be 'ClusterPS.Cluster'
        $script:findings.Count | Should -BeGreaterThan 5
        $script:findings[0].GetType().FullName | Should -Be 'ClusterPS.AuditFinding'
    }

    It 'statistics keep their numbers, their view and their merge' {
        $script:stats.Clusters | Should -Be $script:expected.clusters
        $script:stats.MarleyPercent | Should -Be $script:live.Statistics.MarleyPercent
        $script:stats.Source | Should -Be $script:data
        ($script:stats | Out-String) | Should -Be ($script:live.Statistics | Out-String)
        ($script:stats + $script:stats).Clusters | Should -Be $script:expected.clusters
        ($script:stats, $script:live.Statistics | Get-ClusterStatistics).Clusters | Should -Be $script:expected.clusters
    }

    It 'batches keep every property and read their own files' {
        foreach ($p in 'Path', 'Name', 'Plane', 'BatchNumber', 'Count', 'Layout', 'Length', 'Compressed') {
            $script:batches.$p | Should -Be $script:live.Batches.$p -Because "$p survives"
        }
        "$($script:batches[0].ImageShape)" | Should -Be '128x16'
        ($script:batches | Get-ClusterStatistics).Clusters | Should -Be $script:expected.clusters
        @($script:batches | Select-Cluster -Plane X -Marley).Count | Should -Be $script:live.Clusters.Count
        $script:batches | Test-ClusterDataset -Quiet | Should -BeTrue
    }

    It 'clusters keep their metadata and read their pixels from their own file' {
        $script:clusters.Count | Should -Be $script:live.Clusters.Count
        for ($i = 0; $i -lt 5; $i++) {
            $back, $was = $script:clusters[$i], $script:live.Clusters[$i]
            $back.Path | Should -Be $was.Path
            $back.Index | Should -Be $was.Index
            $back.ParticleEnergy | Should -Be $was.ParticleEnergy
            $back.Metadata | Should -Be $was.Metadata
            $back.Image[40, 7] | Should -Be $was.Image[40, 7]
            $back.Charge | Should -Be $was.Charge
        }
        ($script:clusters | Get-ClusterStatistics).Marley | Should -Be $script:live.Clusters.Count
        @($script:clusters | Select-Cluster -MinCharge 2000).Count | Should -Be @($script:live.Clusters | Select-Cluster -MinCharge 2000).Count
    }

    It 'findings keep their fields and their view' {
        $live = @(Test-ClusterDataset (Get-TestDataPath 'broken'))
        $script:findings.Rule | Should -Be $live.Rule
        $script:findings.Message | Should -Be $live.Message
        ($script:findings | Format-Table | Out-String) | Should -Be ($live | Format-Table | Out-String)
    }

    It 'a serialized cluster is small, carries no pixels, and serializing reads none' {
        $copy = Join-Path $TestDrive 'gone'
        $null = New-Item -ItemType Directory $copy
        Copy-Item (Join-Path $script:data 'clusters_planeX_batch0000.npz') $copy
        $cluster = Select-Cluster $copy | Select-Object -First 1
        Remove-Item -Recurse $copy

        $xml = [Management.Automation.PSSerializer]::Serialize($cluster, 1)
        $xml.Length | Should -BeLessThan 4KB
        $xml | Should -Not -Match 'N="(Image|Charge)"'
    }

    It 'a serialized cluster carries its path, index and one Source line, and the path once' {
        $cluster = $script:live.Clusters[0]
        $xml = [xml][Management.Automation.PSSerializer]::Serialize($cluster, 1)
        $names = @($xml.Objs.Obj.Props.ChildNodes.N) + @($xml.Objs.Obj.MS.ChildNodes.N)
        $names | Should -Be 'Path', 'Index', 'Source'
        ([regex]::Matches($xml.OuterXml, [regex]::Escape($cluster.Path))).Count | Should -Be 1
        $xml.OuterXml | Should -Not -Match '_x00'
    }

    It 'clusters that ClusterPS 0.2.1 wrote to CliXml still come back' {
        # Written by 0.2.1 from samples/clusters_planeX_batch0001.npz, rows 0 and 1, in a clone at
        # /work/main: its SourceBatch held the path, and its Row the metadata.
        $old = @(Import-Clixml -LiteralPath (Get-TestDataPath 'clixml/clusters-0.2.1.clixml'))
        $live = @(Select-Cluster (Join-Path (Get-SamplesPath) 'clusters_planeX_batch0001.npz') | Select-Object -First 2)
        $old.Count | Should -Be 2
        $old[0].GetType().FullName | Should -Be 'ClusterPS.Cluster'
        $old.Path | Should -Be '/work/main/samples/clusters_planeX_batch0001.npz', '/work/main/samples/clusters_planeX_batch0001.npz'
        $old.Index | Should -Be 0, 1
        $old[1].Metadata | Should -Be $live[1].Metadata
        $old[0].ParticleEnergy | Should -Be $live[0].ParticleEnergy
        $old[0].Batch.Count | Should -Be 150
        $old[0].Batch.Layout | Should -Be 'Seed12'
    }

    It 'a serialized cluster whose Source is damaged is refused with a plain message' {
        $xml = [Management.Automation.PSSerializer]::Serialize($script:live.Clusters[0], 1)
        $cut = [regex]::Replace($xml, '(<S N="Source">[^<]*);[^;<]*</S>', '$1</S>')   # the row gone
        $cut = [regex]::Replace($cut, '(<S N="Source">)[^;<]*;[^;<]*;', '$1')          # and two fields of the batch
        $cut | Should -Not -Be $xml
        $damaged = [Management.Automation.PSSerializer]::Deserialize($cut)
        $damaged.GetType().FullName | Should -Be 'System.Management.Automation.PSObject' -Because 'PowerShell keeps what it cannot rebuild as it came'

        $stats = $damaged, $script:live.Clusters[1] | Get-ClusterStatistics -ErrorVariable problems -ErrorAction SilentlyContinue
        $stats.Clusters | Should -Be 1 -Because 'the command goes on with the rest'
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'DamagedSerializedObject,*'
        $problems[0].Exception.Message | Should -BeLike "This Cluster of $($script:live.Clusters[0].Path) cannot be rebuilt from its serialized form: *"

        # Alone, it is an input the command could not use, like a missing path.
        $damaged | Get-ClusterStatistics -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $damaged | Test-ClusterDataset -Quiet -ErrorAction SilentlyContinue | Should -BeFalse
    }

    It 'clusters of two files whose batch texts are the same come back with their own paths' {
        # Two copies with the same length, time and members: only their paths tell their clusters apart.
        $twins = Join-Path $TestDrive 'twins'
        $a = Join-Path $twins 'a' 'clusters_planeU_batch0000.npz'
        $b = Join-Path $twins 'b' 'clusters_planeU_batch0000.npz'
        foreach ($f in $a, $b) {
            $null = New-Item -ItemType Directory (Split-Path $f) -Force
            Copy-Item (Join-Path $script:data 'clusters_planeU_batch0000.npz') $f
            (Get-Item $f).LastWriteTimeUtc = [datetime]::new(2026, 12, 1, 9, 0, 0, [DateTimeKind]::Utc)
        }
        $fromA = @(Select-Cluster $a | Select-Object -First 2)
        $fromB = @(Select-Cluster $b | Select-Object -First 2)
        ($fromA[0].Source -split ';')[0..7] -join ';' | Should -Be (($fromB[0].Source -split ';')[0..7] -join ';')

        $back = @($fromA[0], $fromB[0], $fromA[1], $fromB[1] | ConvertThrough-Clixml -Name twins)
        $back.Path | Should -Be $a, $b, $a, $b
        $back.Batch.Path | Should -Be $a, $b, $a, $b
        $back.Index | Should -Be 0, 0, 1, 1
    }

    It 'a rehydrated cluster whose file is gone says so when its pixels are needed' {
        $copy = Join-Path $TestDrive 'moved'
        $null = New-Item -ItemType Directory $copy
        Copy-Item (Join-Path $script:data 'clusters_planeU_batch0000.npz') $copy
        $back = Select-Cluster $copy | Select-Object -First 2 | ConvertThrough-Clixml -Name moved
        Remove-Item -Recurse $copy

        $back | Show-Cluster -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $problems.Count | Should -Be 2
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'ClusterPS.*'
        $problems[0].Exception.Message | Should -BeLike "*$copy*clusters_planeU_batch0000.npz*"
    }
}

Describe 'Objects that come back from jobs' {
    BeforeAll {
        $script:fromJob = Start-Job -ArgumentList $script:module, $script:data {
            param($module, $data)
            Import-Module $module
            Get-ClusterStatistics (Join-Path $data 'clusters_planeU_batch0000.npz'), (Join-Path $data 'clusters_planeV_batch0000.npz')
            Select-Cluster $data -Plane X
        } | Receive-Job -Wait -AutoRemoveJob
    }

    It 'statistics from shards merge into the whole, each file once' {
        $shardUV = $script:fromJob[0]
        $shardUV.GetType().FullName | Should -Be 'ClusterPS.ClusterStatistics'
        $shardX = Get-ClusterStatistics (Join-Path $script:data 'clusters_planeX_*.npz')
        $whole = $shardUV + $shardX
        $whole.Clusters | Should -Be $script:expected.clusters
        $whole.Batches | Should -Be 4
        $whole.Bytes | Should -Be $script:expected.bytes
        $whole.Source | Should -Be $script:data
        $whole.SourceKind | Should -Be 'Directory'
        ($whole + $shardUV).Clusters | Should -Be $script:expected.clusters
    }

    It 'clusters from a job rehydrate, count and read their pixels' {
        $clusters = @($script:fromJob | Where-Object { $_ -is [ClusterPS.Cluster] })
        $clusters.Count | Should -Be $script:expected.plane_x
        ($clusters | Get-ClusterStatistics).PlaneX | Should -Be $script:expected.plane_x
        $clusters[10].Image[40, 7] | Should -Be (Select-Cluster $script:data -Plane X | Select-Object -Skip 10 -First 1).Image[40, 7]
    }

    It 'clusters from ForEach-Object -Parallel are the live objects' {
        $counts = @(Get-ClusterBatch $script:data | ForEach-Object -ThrottleLimit 2 -Parallel {
                Import-Module $using:module
                $_ | Select-Cluster -Marley
            } | Get-ClusterStatistics)
        $counts.Marley | Should -Be $script:expected.marley
    }
}

Describe 'Merging statistics' {
    It 'counts a file given twice once, with + as with the pipeline' {
        $s = Get-ClusterStatistics $script:data
        ($s + $s).Clusters | Should -Be $script:expected.clusters
        ($s, $s | Get-ClusterStatistics).Batches | Should -Be 4
    }

    It 'adds disjoint selections of the same files exactly' {
        $marley = Select-Cluster $script:data -Marley | Get-ClusterStatistics
        $rest = Select-Cluster $script:data -Marley:$false | Get-ClusterStatistics
        $all = $marley + $rest
        $all.Clusters | Should -Be $script:expected.clusters
        $all.Marley | Should -Be $script:expected.marley
        $all.Batches | Should -Be 4
        ($all + $marley).Clusters | Should -Be $script:expected.clusters
    }

    It 'names the shared directory, not every file, for shards of one directory' {
        $parts = Get-ChildItem -LiteralPath $script:data -Filter *.npz | ForEach-Object { Get-ClusterStatistics -LiteralPath $_.FullName }
        $merged = $parts | Get-ClusterStatistics
        $merged.Source | Should -Be $script:data
        ($merged | Out-String) | Should -Match ([regex]::Escape("Directory: $($script:data)") + '\s*\n')
    }

    It 'writes its errors and no statistics when every input failed' {
        $result = Get-ClusterStatistics (Join-Path $TestDrive 'missing') -ErrorVariable problems -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $problems.FullyQualifiedErrorId | Should -BeLike 'PathNotFound,*'
        Get-ClusterStatistics ./clusters_planeX_batch0000.npz -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'names the directory all files share when a named folder meets files from elsewhere' {
        $uv = Join-Path $TestDrive 'mixed' 'uv'
        $x = Join-Path $TestDrive 'mixed' 'x'
        $null = New-Item -ItemType Directory $uv, $x
        Copy-Item (Join-Path $script:data 'clusters_plane[UV]_*.npz') $uv
        Copy-Item (Join-Path $script:data 'clusters_planeX_*.npz') $x
        $merged = (Get-ClusterStatistics $uv) + (Get-ClusterBatch $x | Get-ClusterStatistics)
        $merged.Source | Should -Be (Join-Path $TestDrive 'mixed')
        $merged.SourceKind | Should -Be 'Directory'
        $one = (Get-ClusterStatistics (Join-Path $uv 'clusters_planeU_batch0000.npz')) + (Select-Cluster $x | Get-ClusterStatistics)
        $one.SourceKind | Should -Be 'Directory'
        $one.Batches | Should -Be 3
    }

    It 'writes no statistics for a folder whose every file fails' {
        $bad = New-Item -ItemType Directory (Join-Path $TestDrive 'allbad')
        Set-Content -LiteralPath (Join-Path $bad 'clusters_planeU_batch0000.npz') -Value 'not a batch file'
        $result = Get-ClusterStatistics $bad.FullName -ErrorVariable problems -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $problems.FullyQualifiedErrorId | Should -BeLike 'ClusterPS.*'
    }

    It 'still prints zero counts for an empty folder' {
        $empty = New-Item -ItemType Directory (Join-Path $TestDrive 'empty')
        $stats = Get-ClusterStatistics $empty.FullName -WarningAction SilentlyContinue
        $stats.Clusters | Should -Be 0
        ($stats | Out-String) | Should -Match 'Marley clusters: 0 \(0\.0%\)'
    }
}

Describe 'Flat tables' {
    BeforeAll {
        # Selected, then their file removed: any pixel read from here on would be an error.
        $copy = Join-Path $TestDrive 'tables'
        $null = New-Item -ItemType Directory $copy
        Copy-Item (Join-Path $script:data 'clusters_planeX_batch0000.npz') $copy
        $script:tableClusters = @(Select-Cluster $copy)
        Remove-Item -Recurse $copy
    }

    It 'Export-Csv writes one number or word per column and reads no pixels' {
        $csv = Join-Path $TestDrive 'clusters.csv'
        $script:tableClusters | Export-Csv -LiteralPath $csv -ErrorAction Stop
        $text = Get-Content -Raw -LiteralPath $csv
        $text | Should -Not -Match 'System\.'
        $rows = Import-Csv -LiteralPath $csv
        $rows.Count | Should -Be 200
        $names = $rows[0].PSObject.Properties.Name
        foreach ($column in 'Path', 'Index', 'IsMarley', 'PositionX', 'PositionY', 'PositionZ', 'DirectionX', 'DirectionY', 'DirectionZ', 'NuEnergy', 'ParticleEnergy', 'Plane', 'Interaction') {
            $names | Should -Contain $column
        }
        $names | Should -Not -Contain 'Image'
        $names | Should -Not -Contain 'Charge'
        [float]$rows[7].PositionX | Should -Be $script:tableClusters[7].PositionX
    }

    It 'ConvertTo-Json gives a flat object per cluster and reads no pixels' {
        $json = $script:tableClusters[0..9] | ConvertTo-Json -ErrorAction Stop
        $objects = $json | ConvertFrom-Json
        $objects.Count | Should -Be 10
        foreach ($property in $objects[0].PSObject.Properties) {
            $value = $property.Value
            ($null -eq $value -or $value -is [string] -or $value -is [ValueType]) | Should -BeTrue -Because "$($property.Name) is a scalar"
        }
        ($json.Length / 10) | Should -BeLessThan 1KB
    }

    It 'keeps Position, Direction, Image and Charge reachable by name' {
        $c = Select-Cluster $script:data -Plane X | Select-Object -First 1
        $c.Position.X | Should -Be $c.PositionX
        $c.Direction.Z | Should -Be $c.DirectionZ
        $c.Image.GetLength(0) | Should -Be 128
        $c.Charge | Should -BeGreaterThan 0
        ($c | Get-Member -Force -Name Image, Charge, Batch).Count | Should -Be 3
    }
}

Describe 'Export-ClusterBatch -Append' {
    It 'lets parallel writers extract into one folder, every cluster exactly once' {
        $shared = Join-Path $TestDrive 'shared'
        0, 1, 2 | ForEach-Object -ThrottleLimit 3 -Parallel {
            Import-Module $using:module
            # Every writer writes every plane, 20 clusters a batch: many claims on the same names.
            $writer = $_
            Select-Cluster $using:data | Where-Object { ($_.Index % 3) -eq $writer } |
                Export-ClusterBatch -LiteralPath $using:shared -Append -BatchSize 20 -ErrorAction Stop
        }
        $written = @(Select-Cluster $shared)
        $written.Count | Should -Be $script:expected.clusters
        (Get-ClusterStatistics $shared).Marley | Should -Be $script:expected.marley
        $numbers = @(Get-ClusterBatch $shared -Plane X | ForEach-Object BatchNumber)
        $numbers | Should -Be (0..($numbers.Count - 1))
        Get-ChildItem -LiteralPath $shared -Force -Filter '.*.tmp' | Should -BeNullOrEmpty
    }

    It 'continues each plane''s series after the highest number in the folder' {
        $folder = Join-Path $TestDrive 'series'
        Select-Cluster $script:data -Plane U | Export-ClusterBatch $folder -BatchSize 30
        $added = @(Select-Cluster $script:data -Plane U | Export-ClusterBatch $folder -Append -BatchSize 30 -PassThru)
        $added.Name | Should -Be 'clusters_planeU_batch0002.npz', 'clusters_planeU_batch0003.npz'
        (Get-ClusterStatistics $folder).Clusters | Should -Be (2 * $script:expected.plane_u)
    }

    It 'refuses -Append with -Force' {
        { Select-Cluster $script:data -Plane U | Export-ClusterBatch (Join-Path $TestDrive 'both') -Append -Force } |
            Should -Throw -ErrorId 'AppendWithForce*'
    }
}

Describe 'Output paths' {
    It '<Command> refuses a path on another provider and writes nothing' -ForEach @(
        @{ Command = 'Export-ClusterBatch'; Target = 'Env:\ClusterPSOut' }
        @{ Command = 'Export-ClusterImage'; Target = 'Variable:\ClusterPSOut' }
    ) {
        $before = @(Get-ChildItem -LiteralPath $script:decoys -Force).Name
        { Select-Cluster $script:data -Plane U | Select-Object -First 2 | & $Command -Path $Target } | Should -Throw -ErrorId 'NotFileSystemPath*'
        @(Get-ChildItem -LiteralPath $script:decoys -Force).Name | Should -Be $before
        Test-Path -LiteralPath (Join-Path ([Environment]::CurrentDirectory) 'ClusterPSOut') | Should -BeFalse
    }

    It '<Command> -LiteralPath writes to a folder whose name has wildcard characters' -ForEach @(
        @{ Command = 'Export-ClusterBatch'; Filter = '*.npz' }
        @{ Command = 'Export-ClusterImage'; Filter = '*.png' }
    ) {
        $folder = Join-Path $TestDrive "out[$Command]"
        Select-Cluster $script:data -Plane U | Select-Object -First 2 | & $Command -LiteralPath $folder
        @(Get-ChildItem -LiteralPath $folder -Filter $Filter).Count | Should -BeGreaterThan 0
        Remove-Item -LiteralPath $folder -Recurse  # Pester's TestDrive clean-up takes names as wildcards
    }

    It 'relative output paths follow the PowerShell location' {
        Select-Cluster $script:data -Plane V | Select-Object -First 2 | Export-ClusterBatch ./relative
        Join-Path $script:decoys 'relative' 'clusters_planeV_batch0000.npz' | Should -Exist
    }
}
