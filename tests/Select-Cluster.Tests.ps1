BeforeDiscovery {
    # Filter cases with what NumPy's boolean masks select: the common ones from
    # tests/data/make_samples_expected.py and more from tests/data/make_pester_expected.py.
    # Each becomes a Select-Cluster parameter set to splat, and the clusters it must select
    # as 'file#index' in the order a directory is read (plane, batch, index).
    $samplesExpected = Get-Content -Raw -LiteralPath (Join-Path $PSScriptRoot 'data/samples_expected.json') | ConvertFrom-Json -AsHashtable
    $pesterExpected = Get-Content -Raw -LiteralPath (Join-Path $PSScriptRoot 'data/pester_expected.json') | ConvertFrom-Json -AsHashtable
    $fileOrder = $samplesExpected.files.file | Sort-Object  # clusters_planeU_batch0000 ... planeX_batch0001

    function ConvertTo-FilterCase {
        param([string] $Name, [System.Collections.IDictionary] $Settings, [int] $Count, [System.Collections.IDictionary] $Selected)

        $parameters = @{}
        foreach ($key in $Settings.Keys) {
            # ClusterFilter's 'Planes' is the cmdlet's -Plane.
            $parameters[$(if ($key -eq 'Planes') { 'Plane' } else { $key })] = $Settings[$key]
        }
        $text = @($parameters.Keys | Sort-Object | ForEach-Object {
                $value = $parameters[$_]
                if ($value -is [bool]) { if ($value) { "-$_" } else { "-$($_):`$false" } }
                else { "-$_ $($value -join ',')" }
            }) -join ' '
        @{
            # The pester cases are named by their parameters already; name the others by both.
            Name       = $(if ($Name.StartsWith('-')) { $Name } elseif ($text) { "$Name ($text)" } else { "$Name (no filter)" })
            Parameters = $parameters
            Expected   = $Count
            Selected   = @($fileOrder | ForEach-Object { $file = $_; $Selected[$file] | ForEach-Object { "$file#$_" } }) -join ' '
        }
    }

    $filterCases = @(
        $samplesExpected.filters | ForEach-Object { ConvertTo-FilterCase $_.name $_.filter $_.count $_.selected }
        $pesterExpected.filters | ForEach-Object { ConvertTo-FilterCase $_.name $_.args $_.count $_.selected }
    )
    $clusterCases = @($pesterExpected.clusters | ForEach-Object {
            @{ File = $_.file; Index = $_.index; Detail = $_ }
        })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')

    $samples = Get-SamplesPath
    $samplesExpected = Get-Content -Raw -LiteralPath (Get-TestDataPath 'samples_expected.json') | ConvertFrom-Json
    $totals = $samplesExpected.total.stats

    function Get-Sidecar {
        # A golden file's sidecar (tests/data/README.md), e.g. 'golden/legacy11/clusters_planeV_batch0000'.
        param([string] $Name)
        Get-Content -Raw -LiteralPath (Get-TestDataPath "$Name.expected.json") | ConvertFrom-Json
    }

    function Test-FileClosed {
        # True when nothing holds the file open: an exclusive open succeeds.
        param([string] $Path)
        try {
            [IO.File]::Open($Path, 'Open', 'ReadWrite', 'None').Dispose()
            $true
        }
        catch {
            $false
        }
    }
}

Describe 'Select-Cluster' {
    Context 'inputs' {
        It 'reads every cluster of a directory given by -Path' {
            $clusters = Select-Cluster -Path $samples
            @($clusters).Count | Should -Be $totals.clusters
            $clusters[0].PSObject.TypeNames[0] | Should -Be 'ClusterPS.Cluster'
        }

        It 'returns objects of a type PowerShell can name, [ClusterPS.Cluster]' {
            Select-Cluster $samples | Select-Object -First 1 | Should -BeOfType ([type] 'ClusterPS.Cluster')
        }

        It 'takes the path positionally' {
            @(Select-Cluster (Join-Path $samples 'clusters_planeV_batch0000.npz')).Count | Should -Be 60
        }

        It 'emits clusters in plane then batch order, by index within a batch' {
            $clusters = Select-Cluster $samples
            ($clusters | Select-Object -First 1).Plane | Should -Be 'U'
            ($clusters | Select-Object -Last 1).Path | Should -BeLike '*clusters_planeX_batch0001.npz'
            ($clusters | Where-Object Path -Like '*planeV*').Index | Should -Be (0..59)
        }

        It 'filters batches from Get-ClusterBatch on the pipeline' {
            @(Get-ClusterBatch $samples | Select-Cluster -Marley).Count | Should -Be $totals.marley
        }

        It 'filters files from Get-ChildItem on the pipeline' {
            @(Get-ChildItem -LiteralPath $samples -Filter *.npz | Select-Cluster -Marley).Count | Should -Be $totals.marley
        }

        It 'filters clusters on the pipeline' {
            @(Select-Cluster $samples | Select-Cluster -Marley).Count | Should -Be $totals.marley
        }

        It 'filters path strings on the pipeline' {
            $paths = (Join-Path $samples 'clusters_planeU_batch0000.npz'), (Join-Path $samples 'clusters_planeV_batch0000.npz')
            @($paths | Select-Cluster -Plane V).Count | Should -Be 60
        }

        It 'resolves a relative path from the current PowerShell location' {
            Push-Location -LiteralPath $samples
            try {
                $clusters = Select-Cluster .\clusters_planeU*
            }
            finally {
                Pop-Location
            }
            @($clusters).Count | Should -Be 40
            $clusters[0].Path | Should -Be (Join-Path $samples 'clusters_planeU_batch0000.npz')
        }

        It 'refuses statistics on the pipeline with an error' {
            $stats = Get-ClusterStatistics (Join-Path $samples 'clusters_planeU_batch0000.npz')
            $clusters = @($stats | Select-Cluster -ErrorVariable errors -ErrorAction SilentlyContinue)
            $clusters.Count | Should -Be 0
            $errors.Count | Should -Be 1
            $errors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        }
    }

    Context 'filters agree with NumPy' {
        BeforeAll {
            $all = @(Select-Cluster $samples)
        }

        It 'selects the <Expected> clusters NumPy does for <Name>, from -Path' -ForEach $filterCases {
            $clusters = @(Select-Cluster -Path $samples @Parameters)
            $clusters.Count | Should -Be $Expected
            ($clusters | ForEach-Object { "$($_.Batch.Name)#$($_.Index)" }) -join ' ' | Should -Be $Selected
        }

        It 'selects the <Expected> clusters NumPy does for <Name>, from clusters on the pipeline' -ForEach $filterCases {
            $clusters = @($all | Select-Cluster @Parameters)
            $clusters.Count | Should -Be $Expected
            ($clusters | ForEach-Object { "$($_.Batch.Name)#$($_.Index)" }) -join ' ' | Should -Be $Selected
        }

        It 'selects the <Expected> clusters NumPy does for <Name>, from Get-ClusterBatch on the pipeline' -ForEach $filterCases {
            @(Get-ClusterBatch $samples | Select-Cluster @Parameters).Count | Should -Be $Expected
        }

        It 'gives every cluster the Charge NumPy sums in float64, within 1e-9 relative' {
            $wrong = foreach ($file in $samplesExpected.files) {
                $clusters = @(Select-Cluster -LiteralPath (Join-Path $samples $file.file))
                $clusters.Count | Should -Be $file.charge.Count
                for ($i = 0; $i -lt $clusters.Count; $i++) {
                    $want = $file.charge[$i]
                    if ([math]::Abs($clusters[$i].Charge - $want) -gt 1e-9 * [math]::Abs($want)) {
                        "$($file.file)[$i]: $($clusters[$i].Charge) instead of $want"
                    }
                }
            }
            $wrong | Should -BeNullOrEmpty
        }

        It 'gives -Marley and -Marley:$false complementary sets' {
            $marley = @(Select-Cluster $samples -Marley)
            $other = @(Select-Cluster $samples -Marley:$false)
            @($marley | Where-Object { -not $_.IsMarley }).Count | Should -Be 0
            @($other | Where-Object IsMarley).Count | Should -Be 0
            ($marley.Count + $other.Count) | Should -Be $totals.clusters
        }

        It 'gives -MainTrack and -MainTrack:$false complementary sets' {
            $main = @(Select-Cluster $samples -MainTrack)
            $other = @(Select-Cluster $samples -MainTrack:$false)
            @($main | Where-Object { -not $_.IsMainTrack }).Count | Should -Be 0
            @($other | Where-Object IsMainTrack).Count | Should -Be 0
            ($main.Count + $other.Count) | Should -Be $totals.clusters
        }

        It 'keeps only the requested interaction with -Interaction ES and CC' {
            (Select-Cluster $samples -Interaction ES).Interaction | Sort-Object -Unique | Should -Be 'ES'
            (Select-Cluster $samples -Interaction CC).Interaction | Sort-Object -Unique | Should -Be 'CC'
        }

        It 'keeps only the requested planes with -Plane U,V' {
            (Select-Cluster $samples -Plane U, V).Plane | Sort-Object -Unique | Should -Be @('U', 'V')
        }

        It 'includes both energy bounds' {
            $energy = $all[17].ParticleEnergy
            $hits = @(Select-Cluster $samples -MinEnergy $energy -MaxEnergy $energy)
            $hits.Count | Should -BeGreaterOrEqual 1
            $hits | ForEach-Object { $_.ParticleEnergy | Should -Be $energy }
            $hits | Where-Object { $_.Path -eq $all[17].Path -and $_.Index -eq $all[17].Index } | Should -HaveCount 1
        }

        It 'never matches an unknown neutrino energy with -MinNuEnergy or -MaxNuEnergy' {
            $unknown = @($all | Where-Object { $null -eq $_.NuEnergy })
            $unknown.Count | Should -Be $totals.nu_unknown
            @(Select-Cluster $samples -MinNuEnergy -1000 | Where-Object { $null -eq $_.NuEnergy }).Count | Should -Be 0
            @(Select-Cluster $samples -MaxNuEnergy 1000 | Where-Object { $null -eq $_.NuEnergy }).Count | Should -Be 0
            @(Select-Cluster $samples -MaxNuEnergy -1).Count | Should -Be 0
        }

        It 'keeps exactly the clusters whose Charge -ge -MinCharge' {
            $threshold = ($all | Sort-Object Charge)[300].Charge
            $kept = @(Select-Cluster $samples -MinCharge $threshold)
            $kept.Count | Should -Be @($all | Where-Object Charge -GE $threshold).Count
            @($kept | Where-Object Charge -LT $threshold).Count | Should -Be 0
        }

        It 'keeps a cluster whose charge equals -MinCharge exactly' {
            $cluster = $all[5]
            $kept = @(Select-Cluster -LiteralPath $cluster.Path -MinCharge $cluster.Charge)
            $kept.Index | Should -Contain $cluster.Index
        }

        It 'gives the same Charge whether a charge filter or the image computed it' {
            $filtered = Select-Cluster (Join-Path $samples 'clusters_planeU_batch0000.npz') -MinCharge 0
            $plain = Select-Cluster (Join-Path $samples 'clusters_planeU_batch0000.npz')
            for ($i = 0; $i -lt 40; $i++) {
                $filtered[$i].Charge | Should -Be $plain[$i].Charge
            }
        }
    }

    Context 'cluster <File>[<Index>]' -ForEach $clusterCases {
        BeforeAll {
            $cluster = Select-Cluster -LiteralPath (Get-SamplesPath $File) | Where-Object Index -EQ $Index
            $row = $Detail.metadata
        }

        It 'knows its batch, path, index and layout' {
            $cluster | Should -HaveCount 1
            $cluster.Path | Should -Be (Get-SamplesPath $File)
            $cluster.Batch.Name | Should -Be $File
            $cluster.Index | Should -Be $Index
            $cluster.Layout | Should -Be 'Seed12'
        }

        It 'decodes the flags and the interaction' {
            $cluster.IsMarley | Should -Be ($row[0] -eq 1)
            $cluster.IsMainTrack | Should -Be ($row[1] -eq 1)
            $cluster.Interaction | Should -Be $(if ($row[11] -eq 1) { 'ES' } else { 'CC' })
        }

        It 'decodes Position and Direction as X, Y, Z' {
            $cluster.Position.X | Should -Be ([float] $row[2])
            $cluster.Position.Y | Should -Be ([float] $row[3])
            $cluster.Position.Z | Should -Be ([float] $row[4])
            $cluster.Direction.X | Should -Be ([float] $row[5])
            $cluster.Direction.Y | Should -Be ([float] $row[6])
            $cluster.Direction.Z | Should -Be ([float] $row[7])
        }

        It 'decodes the energies, NuEnergy $null when the file says -1' {
            $cluster.ParticleEnergy | Should -Be ([float] $row[9])
            if ($row[8] -eq -1) {
                $null -eq $cluster.NuEnergy | Should -BeTrue
            }
            else {
                $cluster.NuEnergy | Should -Be ([float] $row[8])
            }
        }

        It 'decodes PlaneId and Plane' {
            $cluster.PlaneId | Should -Be ([int] $row[10])
            $cluster.Plane | Should -Be ('U', 'V', 'X')[[int] $row[10]]
        }

        It 'keeps the raw metadata row' {
            $cluster.Metadata.Count | Should -Be 12
            for ($i = 0; $i -lt 12; $i++) {
                $cluster.Metadata[$i] | Should -Be ([float] $row[$i]) -Because "column $i"
            }
        }

        It 'has a float[,] Image of 128 ticks by 16 channels' {
            $image = $cluster.Image
            $image.GetType() | Should -Be ([float[,]])
            $image.GetLength(0) | Should -Be 128
            $image.GetLength(1) | Should -Be 16
            $cluster.ImageShape -eq '128x16' | Should -BeTrue
        }

        It 'has the pixel values NumPy reads' {
            foreach ($pixel in $Detail.pixels) {
                $t, $c, $value = $pixel
                $cluster.Image[$t, $c] | Should -Be ([float] $value) -Because "pixel [$t, $c]"
            }
        }

        It 'has a Charge equal to NumPy''s float64 sum within 1e-9 relative' {
            [math]::Abs($cluster.Charge - $Detail.charge) / $Detail.charge | Should -BeLessOrEqual 1e-9
        }
    }

    Context 'other layouts' {
        It 'decodes the Legacy11 golden file with Interaction Unknown' {
            $sidecar = Get-Sidecar 'golden/legacy11/clusters_planeV_batch0000'
            $clusters = @(Select-Cluster (Get-TestDataPath 'golden/legacy11'))

            $clusters.Count | Should -Be $sidecar.count
            $clusters | ForEach-Object {
                $row = $sidecar.metadata[$_.Index]
                $_.Layout | Should -Be 'Legacy11'
                $_.Interaction | Should -Be 'Unknown'
                $_.IsMarley | Should -Be ($row[0] -eq 1)
                $_.ParticleEnergy | Should -Be ([float] $row[9])
                $_.Plane | Should -Be 'V'
                $_.Metadata.Count | Should -Be 11
            }
        }

        It 'selects no Legacy11 cluster with -Interaction ES or CC' {
            $folder = Get-TestDataPath 'golden/legacy11'
            @(Select-Cluster $folder -Interaction ES).Count | Should -Be 0
            @(Select-Cluster $folder -Interaction CC).Count | Should -Be 0
        }

        It 'decodes the Momentum15 golden file: momentum, energies, plane and interaction from their own columns' {
            $sidecar = Get-Sidecar 'golden/momentum15/clusters_planeU_batch0000'
            $clusters = @(Select-Cluster (Get-TestDataPath 'golden/momentum15'))

            $clusters.Count | Should -Be $sidecar.count
            $clusters | ForEach-Object {
                $row = $sidecar.metadata[$_.Index]
                $_.Layout | Should -Be 'Momentum15'
                $_.Position.Z | Should -Be ([float] $row[4])
                $_.Momentum.X | Should -Be ([float] $row[8])
                $_.Momentum.Z | Should -Be ([float] $row[10])
                if ($row[11] -eq -1) { $null -eq $_.NuEnergy | Should -BeTrue } else { $_.NuEnergy | Should -Be ([float] $row[11]) }
                $_.ParticleEnergy | Should -Be ([float] $row[12])
                $_.PlaneId | Should -Be ([int] $row[13])
                $_.Interaction | Should -Be $(if ($row[14] -eq 1) { 'ES' } else { 'CC' })
            }
        }

        It 'computes golden charges exactly (<_>)' -ForEach @('golden/legacy11/clusters_planeV_batch0000', 'golden/momentum15/clusters_planeU_batch0000') {
            $sidecar = Get-Sidecar $_
            $clusters = Select-Cluster -LiteralPath (Get-TestDataPath "$_.npz")
            $clusters.Charge | Should -Be $sidecar.charge
        }
    }

    Context 'in the PowerShell pipeline' {
        BeforeAll {
            $all = @(Select-Cluster $samples)
        }

        It 'groups with Group-Object Plane' {
            $groups = $all | Group-Object Plane
            $groups.Name | Should -Be @('U', 'V', 'X')
            $groups.ForEach({ $_.Count }) | Should -Be @($totals.plane_u, $totals.plane_v, $totals.plane_x)
        }

        It 'sorts with Sort-Object ParticleEnergy' {
            $sorted = $all | Sort-Object ParticleEnergy
            $sorted[0].ParticleEnergy | Should -Be ([float] $totals.particle_energy_min)
            $sorted[-1].ParticleEnergy | Should -Be ([float] $totals.particle_energy_max)
        }

        It 'filters with Where-Object like Select-Cluster does' {
            @($all | Where-Object IsMarley).Count | Should -Be $totals.marley
            @($all | Where-Object Interaction -EQ 'CC').Count | Should -Be $totals.cc
            @($all | Where-Object { $null -eq $_.NuEnergy }).Count | Should -Be $totals.nu_unknown
        }

        It 'round-trips Index, Plane and Interaction through Export-Csv' {
            $csv = Join-Path $TestDrive 'planeU.csv'
            $clusters = Select-Cluster $samples -Plane U
            $clusters | Export-Csv -LiteralPath $csv -NoTypeInformation
            $rows = Import-Csv -LiteralPath $csv

            $rows.Count | Should -Be 40
            $rows.Index | Should -Be ($clusters.Index | ForEach-Object ToString)
            $rows.Plane | Should -Be $clusters.Plane
            $rows.Interaction | Should -Be $clusters.Interaction
        }

        It 'converts to JSON that keeps the decoded fields' {
            $clusters = Select-Cluster (Join-Path $samples 'clusters_planeX_batch0001.npz') | Select-Object -First 6
            $objects = $clusters | ConvertTo-Json -WarningAction SilentlyContinue | ConvertFrom-Json

            $objects.Count | Should -Be 6
            $objects.Index | Should -Be $clusters.Index
            $objects.Plane | Should -Be $clusters.Plane
            $objects.Interaction | Should -Be $clusters.Interaction
            $objects.IsMarley | Should -Be $clusters.IsMarley
            for ($i = 0; $i -lt 6; $i++) {
                if ($null -eq $clusters[$i].NuEnergy) { $objects[$i].NuEnergy | Should -BeNullOrEmpty }
                else { [float] $objects[$i].NuEnergy | Should -Be $clusters[$i].NuEnergy }
            }
        }

        It 'stops early without error under Select-Object -First 1' {
            $first = Select-Cluster $samples -ErrorVariable errors | Select-Object -First 1
            $first | Should -HaveCount 1
            $first.Index | Should -Be 0
            $first.Plane | Should -Be 'U'
            $errors | Should -BeNullOrEmpty
        }

        It 'still loads the image of a cluster kept by Select-Object -First 1, and closes the file again' {
            $path = Join-Path $samples 'clusters_planeU_batch0000.npz'
            $first = Select-Cluster $path | Select-Object -First 1
            Test-FileClosed $path | Should -BeTrue
            $first.Image.GetLength(0) | Should -Be 128
            [math]::Abs($first.Charge - $samplesExpected.files[0].charge[0]) | Should -BeLessOrEqual (1e-9 * $first.Charge)
            Test-FileClosed $path | Should -BeTrue
        }

        It 'does not go on to later files after Select-Object -First 1' {
            # A broken file sorts after the good one: stopping early means it is never read.
            $folder = Join-Path $TestDrive 'first'
            New-Item -ItemType Directory -Path $folder | Out-Null
            Copy-Item -LiteralPath (Join-Path $samples 'clusters_planeU_batch0000.npz') -Destination $folder
            Copy-Item -LiteralPath (Get-TestDataPath 'broken/not_a_zip.npz') -Destination $folder

            $first = Select-Cluster $folder -ErrorVariable errors -ErrorAction SilentlyContinue | Select-Object -First 1
            $first.Index | Should -Be 0
            $errors | Should -BeNullOrEmpty
            Test-FileClosed (Join-Path $folder 'clusters_planeU_batch0000.npz') | Should -BeTrue
        }
    }

    Context 'broken files among good ones' {
        BeforeAll {
            $mixed = Join-Path $TestDrive 'mixed'
            New-Item -ItemType Directory -Path $mixed | Out-Null
            Copy-Item -LiteralPath (Join-Path $samples 'clusters_planeV_batch0000.npz') -Destination $mixed
            'row_mismatch.npz', 'pickled_metadata.npz' | ForEach-Object {
                Copy-Item -LiteralPath (Get-TestDataPath "broken/$_") -Destination $mixed
            }
        }

        It 'returns the good file''s clusters and one ClusterPS error per broken file' {
            $clusters = @(Select-Cluster $mixed -ErrorVariable errors -ErrorAction SilentlyContinue)
            $clusters.Count | Should -Be 60
            $errors.Count | Should -Be 2
            $errors | ForEach-Object {
                $_.FullyQualifiedErrorId | Should -BeLike 'ClusterPS.*'
                $_.CategoryInfo.Category | Should -Be 'InvalidData'
            }
        }

        It 'makes a broken file terminating with -ErrorAction Stop' {
            { Select-Cluster -LiteralPath (Join-Path $mixed 'pickled_metadata.npz') -ErrorAction Stop } |
                Should -Throw -ErrorId 'ClusterPS.UnsupportedDType,*'
        }

        It 'leaves no file open after the errors' {
            Select-Cluster $mixed -ErrorAction SilentlyContinue | Out-Null
            Get-ChildItem -LiteralPath $mixed -File | ForEach-Object {
                Test-FileClosed $_.FullName | Should -BeTrue -Because "$($_.Name) must be closed"
            }
        }
    }
}
