BeforeDiscovery {
    # What NumPy says about each sample file (tests/data/make_samples_expected.py).
    $expected = Get-Content -Raw -LiteralPath (Join-Path $PSScriptRoot 'data/samples_expected.json') | ConvertFrom-Json
    $fileCases = @($expected.files | ForEach-Object { @{ Name = $_.file; Expected = $_.stats; Report = $_.report } })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')

    $samples = Get-SamplesPath
    $expected = Get-Content -Raw -LiteralPath (Get-TestDataPath 'samples_expected.json') | ConvertFrom-Json
    $totals = $expected.total.stats
    $fileStats = @{}
    $expected.files | ForEach-Object { $fileStats[$_.file] = $_.stats }

    function Assert-Statistics {
        # Compares a statistics object with NumPy's numbers for the same clusters.
        param($Statistics, $Expected)

        $Statistics.PSObject.TypeNames[0] | Should -Be 'ClusterPS.ClusterStatistics'
        $Statistics.Batches | Should -Be $Expected.batches
        $Statistics.Clusters | Should -Be $Expected.clusters
        $Statistics.Bytes | Should -Be $Expected.bytes
        $Statistics.PlaneU | Should -Be $Expected.plane_u
        $Statistics.PlaneV | Should -Be $Expected.plane_v
        $Statistics.PlaneX | Should -Be $Expected.plane_x
        $Statistics.PlaneUPercent | Should -Be ([double] $Expected.plane_u_percent)
        $Statistics.PlaneVPercent | Should -Be ([double] $Expected.plane_v_percent)
        $Statistics.PlaneXPercent | Should -Be ([double] $Expected.plane_x_percent)
        $Statistics.ES | Should -Be $Expected.es
        $Statistics.CC | Should -Be $Expected.cc
        $Statistics.ESPercent | Should -Be ([double] $Expected.es_percent)
        $Statistics.CCPercent | Should -Be ([double] $Expected.cc_percent)
        $Statistics.Marley | Should -Be $Expected.marley
        $Statistics.MarleyPercent | Should -Be ([double] $Expected.marley_percent)
        $Statistics.MainTrack | Should -Be $Expected.main_track
        $Statistics.MainTrackPercent | Should -Be ([double] $Expected.main_track_percent)
        $Statistics.ParticleEnergyMin | Should -Be ([float] $Expected.particle_energy_min)
        $Statistics.ParticleEnergyMax | Should -Be ([float] $Expected.particle_energy_max)
        $Statistics.NuEnergyMin | Should -Be ([float] $Expected.nu_energy_min)
        $Statistics.NuEnergyMax | Should -Be ([float] $Expected.nu_energy_max)
        $Statistics.NuEnergyUnknown | Should -Be $Expected.nu_unknown
    }

    function Get-ReportText {
        # The default view's text, without the blank lines Out-String puts around it.
        param([Parameter(ValueFromPipeline)] $InputObject)
        end {
            (($input | Out-String) -replace '\r\n', "`n").Trim("`n")
        }
    }

    function Get-ReportLine {
        # The default view's text as lines, without blank lines.
        param([Parameter(ValueFromPipeline)] $InputObject)
        end {
            ($input | Out-String) -split '\r?\n' | Where-Object { $_.Trim() }
        }
    }
}

Describe 'Get-ClusterStatistics' {
    Context 'on the samples directory' {
        BeforeAll {
            $stats = Get-ClusterStatistics $samples
        }

        It 'returns one statistics object whose numbers equal NumPy''s' {
            @(Get-ClusterStatistics $samples).Count | Should -Be 1
            Assert-Statistics $stats $totals
        }

        It 'returns an object of a type PowerShell can name, [ClusterPS.ClusterStatistics]' {
            $stats | Should -BeOfType ([type] 'ClusterPS.ClusterStatistics')
        }

        It 'counts 4 batches and 450 clusters' {
            $stats.Batches | Should -Be 4
            $stats.Clusters | Should -Be 450
        }

        It 'names the directory as its source' {
            $stats.SourceKind | Should -Be 'Directory'
            $stats.Source | Should -Be $samples
        }

        It 'gives percentages with one decimal' {
            $stats.PlaneUPercent, $stats.PlaneVPercent, $stats.PlaneXPercent, $stats.ESPercent, $stats.CCPercent,
            $stats.MarleyPercent, $stats.MainTrackPercent | ForEach-Object {
                [math]::Round($_, 1) | Should -Be $_
            }
        }

        It 'prints the reference helper''s report by default' {
            $lines = $stats | Get-ReportLine
            $lines[0] | Should -Be 'Dataset Statistics:'
            $lines[1] | Should -Be "  Directory: $samples"
            $lines | Should -Contain '  Total batches: 4'
            $lines | Should -Contain '  Total clusters: 450'
            $lines | Should -Contain '  Plane distribution:'
            $lines | Should -Contain "    U: $($totals.plane_u) ($($totals.plane_u_percent)%)"
            $lines | Should -Contain "    V: $($totals.plane_v) ($($totals.plane_v_percent)%)"
            $lines | Should -Contain "    X: $($totals.plane_x) ($($totals.plane_x_percent)%)"
        }

        It 'prints exactly the reference helper''s text' {
            $stats | Get-ReportText | Should -BeExactly $expected.total.report.Replace('{source}', $samples)
        }

        It 'resolves ''.'' from the current PowerShell location' {
            Push-Location -LiteralPath $samples
            try {
                $here = Get-ClusterStatistics .
            }
            finally {
                Pop-Location
            }
            $here.Source | Should -Be $samples
            $here.Clusters | Should -Be 450
        }
    }

    Context 'a single file' {
        It 'matches NumPy for <Name>' -ForEach $fileCases {
            Assert-Statistics (Get-ClusterStatistics -LiteralPath (Get-SamplesPath $Name)) $Expected
        }

        It 'prints exactly the reference helper''s text for <Name>' -ForEach $fileCases {
            $path = Get-SamplesPath $Name
            Get-ClusterStatistics -LiteralPath $path | Get-ReportText | Should -BeExactly $Report.Replace('{source}', $path)
        }

        It 'prints File: instead of Directory:' {
            $path = Join-Path $samples 'clusters_planeV_batch0000.npz'
            $lines = Get-ClusterStatistics $path | Get-ReportLine
            $lines[1] | Should -Be "  File: $path"
            $lines | Should -Contain '    V: 60 (100.0%)'
            $lines | Should -Contain '    U: 0 (0.0%)'
        }

        It 'reports SourceKind File' {
            (Get-ClusterStatistics (Join-Path $samples 'clusters_planeV_batch0000.npz')).SourceKind | Should -Be 'File'
        }
    }

    Context 'from the pipeline' {
        It 'counts files from Get-ChildItem' {
            $stats = Get-ChildItem -LiteralPath $samples -Filter *.npz | Get-ClusterStatistics
            Assert-Statistics $stats $totals
        }

        It 'counts batches from Get-ClusterBatch' {
            Assert-Statistics (Get-ClusterBatch $samples | Get-ClusterStatistics) $totals
        }

        It 'counts the batches that Get-ClusterBatch -Plane U,V passes' {
            $stats = Get-ClusterBatch $samples -Plane U, V | Get-ClusterStatistics
            $stats.Batches | Should -Be 2
            $stats.Clusters | Should -Be ($totals.plane_u + $totals.plane_v)
            $stats.PlaneX | Should -Be 0
        }

        It 'counts every cluster of Select-Cluster like the files themselves' {
            Assert-Statistics (Select-Cluster $samples | Get-ClusterStatistics) $totals
        }

        It 'counts the distinct files of piped clusters as batches and their sizes as bytes' {
            $xFiles = @($expected.files | Where-Object file -Like '*_planeX_*')
            $stats = Select-Cluster $samples -Plane X -Marley | Get-ClusterStatistics

            $xFiles.ForEach({ $_.stats.marley }) | ForEach-Object { $_ | Should -BeGreaterThan 0 }
            $stats.Clusters | Should -Be ($xFiles.ForEach({ $_.stats.marley }) | Measure-Object -Sum).Sum
            $stats.Marley | Should -Be $stats.Clusters
            $stats.PlaneX | Should -Be $stats.Clusters
            $stats.Batches | Should -Be $xFiles.Count
            $stats.Bytes | Should -Be ($xFiles.ForEach({ $_.stats.bytes }) | Measure-Object -Sum).Sum
        }

        It 'counts a file once however many of its clusters come' {
            $path = Join-Path $samples 'clusters_planeU_batch0000.npz'
            $stats = Select-Cluster $path -Marley:$false | Get-ClusterStatistics
            $stats.Batches | Should -Be 1
            $stats.Bytes | Should -Be (Get-Item -LiteralPath $path).Length
            $stats.Clusters | Should -Be ($fileStats['clusters_planeU_batch0000.npz'].clusters - $fileStats['clusters_planeU_batch0000.npz'].marley)
        }
    }

    Context 'merging' {
        BeforeAll {
            $a = Get-ClusterStatistics (Join-Path $samples 'clusters_planeU_batch0000.npz'), (Join-Path $samples 'clusters_planeV_batch0000.npz')
            $b = Get-ClusterStatistics (Join-Path $samples 'clusters_planeX_*.npz')
        }

        It 'merges statistics piped in: $a, $b | Get-ClusterStatistics' {
            Assert-Statistics ($a, $b | Get-ClusterStatistics) $totals
        }

        It 'merges with $a + $b' {
            Assert-Statistics ($a + $b) $totals
        }

        It 'leaves the parts unchanged' {
            $null = $a + $b
            $a.Clusters | Should -Be ($totals.plane_u + $totals.plane_v)
            $b.Clusters | Should -Be $totals.plane_x
        }

        It 'prints the merged totals' {
            $lines = $a + $b | Get-ReportLine
            $lines | Should -Contain '  Total batches: 4'
            $lines | Should -Contain '  Total clusters: 450'
            $lines | Should -Contain "  Marley clusters: $($totals.marley) ($($totals.marley_percent)%)"
        }
    }

    Context 'empty input' {
        It 'counts zero for @() | Get-ClusterStatistics, without error' {
            $stats = @() | Get-ClusterStatistics -ErrorVariable errors
            $errors | Should -BeNullOrEmpty
            $stats.Batches | Should -Be 0
            $stats.Clusters | Should -Be 0
            $stats.Bytes | Should -Be 0
            $stats.PlaneUPercent | Should -Be 0
            $stats.MarleyPercent | Should -Be 0
        }

        It 'prints zeros and 0.0% for an empty input' {
            $lines = @() | Get-ClusterStatistics | Get-ReportLine
            $lines | Should -Contain '  Total batches: 0'
            $lines | Should -Contain '  Total clusters: 0'
            $lines | Should -Contain '    U: 0 (0.0%)'
            $lines | Should -Contain '    ES: 0 (0.0%)'
            $lines | Should -Contain '    CC: 0 (0.0%)'
            $lines | Should -Contain '  Marley clusters: 0 (0.0%)'
            $lines | Should -Contain '  Main track clusters: 0 (0.0%)'
        }

        It 'counts zero when a filter matches nothing upstream' {
            $stats = Select-Cluster $samples -MinEnergy 1000 | Get-ClusterStatistics -ErrorVariable errors
            $errors | Should -BeNullOrEmpty
            $stats.Clusters | Should -Be 0
            $stats.Batches | Should -Be 0
            ($stats | Get-ReportLine) | Should -Contain '    X: 0 (0.0%)'
        }

        It 'counts zero for a directory without batch files' {
            $empty = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'empty')
            $stats = Get-ClusterStatistics $empty.FullName -ErrorVariable errors
            $errors | Should -BeNullOrEmpty
            $stats.Clusters | Should -Be 0
            $stats.SourceKind | Should -Be 'Directory'
        }
    }

    Context 'errors' {
        BeforeAll {
            $mixed = Join-Path $TestDrive 'mixed'
            New-Item -ItemType Directory -Path $mixed | Out-Null
            'clusters_planeU_batch0000.npz', 'clusters_planeX_batch0001.npz' | ForEach-Object {
                Copy-Item -LiteralPath (Join-Path $samples $_) -Destination $mixed
            }
            'row_mismatch.npz', 'not_a_zip.npz' | ForEach-Object {
                Copy-Item -LiteralPath (Get-TestDataPath "broken/$_") -Destination $mixed
            }
        }

        It 'counts the good files and writes one error per broken file' {
            $stats = Get-ClusterStatistics $mixed -ErrorVariable errors -ErrorAction SilentlyContinue

            $stats.Batches | Should -Be 2
            $stats.Clusters | Should -Be (40 + 150)
            $stats.PlaneU | Should -Be 40
            $stats.PlaneX | Should -Be 150
            $errors.Count | Should -Be 2
            ($errors | Where-Object TargetObject -EQ (Join-Path $mixed 'row_mismatch.npz')).FullyQualifiedErrorId | Should -BeLike 'ClusterPS.RowCountMismatch,*'
            ($errors | Where-Object TargetObject -EQ (Join-Path $mixed 'not_a_zip.npz')).FullyQualifiedErrorId | Should -BeLike 'ClusterPS.NotAZipFile,*'
            $errors | ForEach-Object { $_.CategoryInfo.Category | Should -Be 'InvalidData' }
        }

        It 'makes a broken file terminating with -ErrorAction Stop' {
            { Get-ClusterStatistics -LiteralPath (Join-Path $mixed 'not_a_zip.npz') -ErrorAction Stop } | Should -Throw -ErrorId 'ClusterPS.NotAZipFile,*'
        }

        It 'writes PathNotFound for a missing path and counts the others' {
            $stats = Get-ClusterStatistics (Join-Path $TestDrive 'nothere'), (Join-Path $samples 'clusters_planeV_batch0000.npz') -ErrorVariable errors -ErrorAction SilentlyContinue
            $stats.Clusters | Should -Be 60
            $errors.Count | Should -Be 1
            $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'PathNotFound,*'
        }
    }
}
