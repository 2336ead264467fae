# Get-ClusterHistogram as a user types it, against np.histogram (tests/data/make_histogram_expected.py).

BeforeDiscovery {
    $expected = Get-Content -Raw -LiteralPath (Join-Path $PSScriptRoot 'data/histogram_expected.json') | ConvertFrom-Json
    $datasetCases = @($expected.datasets | ForEach-Object { @{ Name = $_.name; Case = $_ } })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')

    $repo = Split-Path -Parent $PSScriptRoot
    $samples = Get-SamplesPath
    $testData = Get-TestDataPath 'histogram'
    $corrupt = Get-TestDataPath 'histogram-corrupt/clusters_planeV_batch0000.npz'
    $expected = Get-Content -Raw -LiteralPath (Get-TestDataPath 'histogram_expected.json') | ConvertFrom-Json
    $esc = [char] 27

    function Get-Case([string] $Name) { $expected.datasets | Where-Object name -EQ $Name }

    function Get-Argument($Case) {
        # The case's parameters, named as the cmdlet's, for splatting.
        $arguments = @{ Property = $Case.property; Bins = $Case.bins; GroupBy = $Case.groupBy }
        if ($null -ne $Case.PSObject.Properties['minimum']) { $arguments.Minimum = $Case.minimum }
        if ($null -ne $Case.PSObject.Properties['maximum']) { $arguments.Maximum = $Case.maximum }
        $arguments
    }

    function Assert-Histogram($Actual, $Expected) {
        @($Actual).Count | Should -Be @($Expected).Count
        for ($i = 0; $i -lt @($Expected).Count; $i++) {
            $a = @($Actual)[$i]; $e = @($Expected)[$i]
            $a.PSObject.TypeNames[0] | Should -Be 'ClusterPS.ClusterHistogram'
            $a.Group | Should -Be $e.group
            $a.Edges | Should -Be ([double[]] $e.edges)
            $a.Counts | Should -Be ([long[]] $e.counts)
            $a.Underflow | Should -Be $e.underflow
            $a.Overflow | Should -Be $e.overflow
            $a.Missing | Should -Be $e.missing
            $a.Total | Should -Be (($e.counts | Measure-Object -Sum).Sum + $e.underflow + $e.overflow)
        }
    }

    function Get-ChartLine {
        # The default view's text as lines, without blank lines.
        param([Parameter(ValueFromPipeline)] $InputObject)
        end { ($input | Out-String -Width 200) -split '\r?\n' | Where-Object { $_.Trim() } }
    }
}

Describe 'Get-ClusterHistogram' {
    Context 'counts equal NumPy''s' {
        It '<Name>, from paths' -ForEach $datasetCases {
            $arguments = Get-Argument $Case
            $paths = @($Case.paths | ForEach-Object { Join-Path $repo $_ })
            Assert-Histogram (Get-ClusterHistogram -Path $paths @arguments) $Case.histograms
        }

        It '<Name>, from piped batches' -ForEach $datasetCases {
            $arguments = Get-Argument $Case
            $batches = $Case.paths | ForEach-Object { Get-ClusterBatch -LiteralPath (Join-Path $repo $_) }
            Assert-Histogram ($batches | Get-ClusterHistogram @arguments) $Case.histograms
        }

        It 'from piped clusters, the same as from their batches' {
            $case = Get-Case 'samples: charge by plane'
            Assert-Histogram (Select-Cluster $samples | Get-ClusterHistogram -Property Charge -Bins 15 -GroupBy Plane) $case.histograms
        }

        It 'from a folder, positionally, with the property tab-completed names' {
            $case = Get-Case 'samples: particle energy by Marley'
            Assert-Histogram (Get-ClusterHistogram $samples -Property ParticleEnergy -GroupBy Marley) $case.histograms
            Assert-Histogram (Get-ClusterHistogram $samples -Property particleenergy -GroupBy marley -Bins 20) $case.histograms
        }
    }

    Context 'parameters' {
        It 'defaults to 20 bins over the data''s range, one histogram for All' {
            $h = Get-ClusterHistogram -LiteralPath $samples -Property ParticleEnergy
            $h.Group | Should -Be 'All'
            $h.Counts.Count | Should -Be 20
            $h.Edges.Count | Should -Be 21
            $h.Total | Should -Be 450
            $h.Edges[0] | Should -Be ([double] (Get-ClusterStatistics $samples).ParticleEnergyMin)
            $h.Edges[20] | Should -Be ([double] (Get-ClusterStatistics $samples).ParticleEnergyMax)
        }

        It '-Minimum and -Maximum count values outside as underflow and overflow' {
            $h = Get-ClusterHistogram $samples -Property ParticleEnergy -Minimum 10 -Maximum 20 -Bins 2
            $energies = (Select-Cluster $samples).ParticleEnergy
            $h.Underflow | Should -Be @($energies | Where-Object { $_ -lt 10 }).Count
            $h.Overflow | Should -Be @($energies | Where-Object { $_ -gt 20 }).Count
            $h.Edges | Should -Be @(10, 15, 20)
            $h.Total | Should -Be 450
        }

        It 'NuEnergy leaves out unknown energies as Missing' {
            $h = Get-ClusterHistogram $samples -Property NuEnergy
            $h.Missing | Should -Be (Get-ClusterStatistics $samples).NuEnergyUnknown
            $h.Total + $h.Missing | Should -Be 450
        }

        It '-Recurse reads sub-folders and -Layout is honoured' {
            $dir = Join-Path $TestDrive 'deep'
            $null = New-Item -ItemType Directory -Path (Join-Path $dir 'X')
            Copy-Item (Join-Path $samples 'clusters_planeX_batch000*.npz') (Join-Path $dir 'X')
            (Get-ClusterHistogram $dir -Property PlaneId -Recurse -WarningAction SilentlyContinue).Total | Should -Be 350
            Get-ClusterHistogram $dir -Property PlaneId -WarningVariable warned -WarningAction SilentlyContinue | Should -BeNullOrEmpty
            "$warned" | Should -Match 'Recurse'
            (Get-ClusterHistogram (Join-Path $samples 'clusters_planeU_batch0000.npz') -Property ParticleEnergy -Layout Seed12).Total | Should -Be 40
            { Get-ClusterHistogram (Join-Path $samples 'clusters_planeU_batch0000.npz') -Property ParticleEnergy -Layout Legacy11 -ErrorAction Stop } |
                Should -Throw -ErrorId 'ClusterPS.LayoutMismatch,*'
        }

        It 'completes property names and offers the groups' {
            $line = 'Get-ClusterHistogram ./samples -Property Pos'
            $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length
            $completion.CompletionMatches.CompletionText | Should -Be @('PositionX', 'PositionY', 'PositionZ')
            $line = 'Get-ClusterHistogram ./samples -Property Charge -GroupBy '
            $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length
            $completion.CompletionMatches.CompletionText | Should -Contain 'Interaction'
            (Get-Command Get-ClusterHistogram).Parameters['GroupBy'].Attributes.ValidValues | Should -Be @('None', 'Marley', 'Interaction', 'Plane', 'MainTrack')
        }

        It 'refuses a property that is not a field, and a minimum above the maximum' {
            { Get-ClusterHistogram $samples -Property Brightness } | Should -Throw -ErrorId 'InvalidHistogramArgument,*'
            { Get-ClusterHistogram $samples -Property Charge -Minimum 5 -Maximum 1 } | Should -Throw -ErrorId 'InvalidHistogramArgument,*'
            { Get-ClusterHistogram $samples -Property Charge -Bins 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
        }

        It 'says so when a minimum lies above every value' {
            Get-ClusterHistogram $samples -Property ParticleEnergy -Minimum 1000 -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'HistogramRangeEmpty,*'
            "$($problems[0])" | Should -Match 'above every value'
        }
    }

    Context 'reading' {
        It 'never reads pixels for metadata fields: a file with damaged images still histograms its energies' {
            $case = Get-Case 'corrupt images: particle energy'
            Assert-Histogram (Get-ClusterHistogram $corrupt -Property ParticleEnergy -Bins 4) $case.histograms
        }

        It 'reads every image for Charge, and a damaged one is that file''s error while the others still count' {
            $h = Get-ClusterHistogram $corrupt, (Join-Path $samples 'clusters_planeU_batch0000.npz') -Property Charge -ErrorVariable problems -ErrorAction SilentlyContinue
            $problems.Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'ClusterPS.ChecksumMismatch,*'
            $problems[0].CategoryInfo.Category | Should -Be 'InvalidData'
            "$($problems[0])" | Should -Match 'clusters_planeV_batch0000.npz'
            $h.Total | Should -Be 40
        }

        It 'writes one error per broken file and goes on' {
            $broken = Get-TestDataPath 'broken/row_mismatch.npz'
            $h = Get-ClusterHistogram $broken, $samples -Property ParticleEnergy -ErrorVariable problems -ErrorAction SilentlyContinue
            $problems.Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'ClusterPS.RowCountMismatch,*'
            $h.Total | Should -Be 450
        }

        It 'writes no histogram when every input failed' {
            Get-ClusterHistogram (Get-TestDataPath 'broken/row_mismatch.npz') -Property ParticleEnergy -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        }

        It 'a missing path behaves like Get-Item' {
            { Get-ClusterHistogram (Join-Path $TestDrive 'nope') -Property Charge -ErrorAction Stop } | Should -Throw -ErrorId 'PathNotFound,*'
        }
    }

    Context 'merging' {
        BeforeAll {
            $files = @(Get-ChildItem $samples -Filter *.npz | Sort-Object Name)
            $parts = @($files | ForEach-Object { Get-ClusterHistogram -LiteralPath $_.FullName -Property ParticleEnergy -Minimum 0 -Maximum 40 -Bins 8 -GroupBy Marley })
            $whole = Get-ClusterHistogram $samples -Property ParticleEnergy -Minimum 0 -Maximum 40 -Bins 8 -GroupBy Marley
        }

        It 'adds histograms of equal edges with +' {
            $marley = @($parts | Where-Object Group -EQ 'Marley')
            $sum = $marley[0]
            foreach ($h in $marley[1..($marley.Count - 1)]) { $sum = $sum + $h }
            $sum.Counts | Should -Be ($whole | Where-Object Group -EQ 'Marley').Counts
            $sum.Total | Should -Be ($whole | Where-Object Group -EQ 'Marley').Total
        }

        It 'merges histograms piped in, per property and group' {
            $merged = $parts | Get-ClusterHistogram
            $merged.Group | Should -Be @('Marley', 'Background')
            $merged[0].Counts | Should -Be $whole[0].Counts
            $merged[1].Counts | Should -Be $whole[1].Counts
        }

        It 'merges histograms that went through CliXml' {
            $file = Join-Path $TestDrive 'parts.xml'
            $parts | Export-Clixml -LiteralPath $file
            $back = Import-Clixml -LiteralPath $file
            $merged = $back | ForEach-Object { [ClusterPS.ClusterHistogram]::FromParts($_.Property, $_.Group, $_.Edges, $_.Counts, $_.Underflow, $_.Overflow, $_.Missing) } | Get-ClusterHistogram
            $merged[0].Counts | Should -Be $whole[0].Counts
            ($back[0] | Out-String) | Should -Match 'ParticleEnergy · '
        }

        It 'refuses unequal edges with a clear error' {
            $a = Get-ClusterHistogram $samples -Property ParticleEnergy -Bins 8
            $b = Get-ClusterHistogram $samples -Property ParticleEnergy -Bins 9
            { $a + $b } | Should -Throw '*different bin edges*'
            $a, $b | Get-ClusterHistogram -ErrorVariable problems -ErrorAction SilentlyContinue | Should -HaveCount 1
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'HistogramEdgesDiffer,*'
        }

        It 'needs -Property to bin data' {
            { Get-ClusterBatch $samples | Get-ClusterHistogram } | Should -Throw -ErrorId 'PropertyRequired,*'
        }
    }

    Context 'the default view' {
        BeforeEach { $savedRendering = $PSStyle.OutputRendering; $savedNoColor = $env:NO_COLOR }
        AfterEach { $PSStyle.OutputRendering = $savedRendering; $env:NO_COLOR = $savedNoColor }

        It 'is a bar chart that fits 80 columns, one line per bin with its range and count' {
            $PSStyle.OutputRendering = 'PlainText'
            $h = Get-ClusterHistogram $samples -Property Charge -GroupBy Marley -Bins 12
            $lines = @($h | Get-ChartLine)
            $lines.Count | Should -Be (2 * (12 + 2))
            $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
            $lines[0] | Should -BeLike 'Charge · Marley · 77 values in 12 bins'
            $lines[1] | Should -Match ('^\[\s*{0:F1}, ' -f $h[0].Edges[0])
            $lines[1] | Should -Match " $($h[0].Counts[0])$"
            $lines[12] | Should -Match '\] .* \d+$'
            ($lines -join "`n") | Should -Match '█'
            ($lines -join "`n") | Should -Not -Match ([regex]::Escape("$esc"))
        }

        It 'colours each group''s bars, and is plain under NO_COLOR' {
            $PSStyle.OutputRendering = 'Ansi'
            $env:NO_COLOR = $null
            $h = Get-ClusterHistogram $samples -Property ParticleEnergy -GroupBy Marley
            $text = $h | Out-String -Width 200
            $text | Should -Match ([regex]::Escape("$esc[38;2;230;159;0m"))
            $text | Should -Match ([regex]::Escape("$esc[38;2;86;180;233m"))
            $env:NO_COLOR = '1'
            $h | Out-String | Should -Not -Match ([regex]::Escape("$esc"))
        }
    }
}
