BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')

    $samples = Get-SamplesPath
    $esc = [char] 27

    # The brightest Marley main-track cluster of the samples, and a few others.
    $bright = Select-Cluster -Path $samples -Marley -MainTrack | Sort-Object Charge -Descending | Select-Object -First 1
    $some = @(Select-Cluster -LiteralPath (Join-Path $samples 'clusters_planeU_batch0000.npz') | Select-Object -First 3)

    function Remove-Ansi {
        param([string] $Text)
        $Text -replace "$([char] 27)\[[0-9;]*m", ''
    }

    function Get-GridRow {
        # The plot rows of a rendering, top first: the lines between 'tick' and the channel axis.
        param([string] $Text)
        $lines = $Text -split "`n"
        $first = [array]::IndexOf($lines, 'tick') + 1
        $labels = @(0..($lines.Count - 1) | Where-Object { $lines[$_].EndsWith('  channel') })[0]
        $lines[$first..($labels - 2)]
    }
}

Describe 'Show-Cluster' {
    Context 'by default' {
        BeforeAll {
            $text = Show-Cluster -InputObject $bright
        }

        It 'returns one string per cluster' {
            $text | Should -BeOfType ([string])
            @(Show-Cluster $some).Count | Should -Be 3
            @($some | Show-Cluster).Count | Should -Be 3
        }

        It 'draws in 24-bit ANSI colour with upper-half blocks' {
            $text | Should -Match ([regex]::Escape("$esc[38;2;"))
            $text | Should -Match ([regex]::Escape("$esc[48;2;"))
            $text | Should -Match '▀'
        }

        It 'titles the picture with the file, the index and the metadata' {
            $plain = Remove-Ansi $text
            $plain | Should -Match ([regex]::Escape("$($bright.Batch.Name) [$($bright.Index)]"))
            $plain | Should -Match 'plane X \| Marley \| main track \| (ES|CC) \| E [0-9.]+ MeV \| Enu ([0-9.]+ MeV|-) \| charge [0-9.]+'
        }

        It 'has 64 rows for 128 ticks and fits in 80 columns' {
            @(Get-GridRow $text).Count | Should -Be 64
            foreach ($line in $text -split "`n") {
                (Remove-Ansi $line).Length | Should -BeLessOrEqual 80
            }
        }

        It 'prints the colour scale from 0 to the image maximum' {
            $max = ($bright.Image | Measure-Object -Maximum).Maximum
            (Remove-Ansi ($text -split "`n")[-1]) | Should -Match "^scale 0 .* $([regex]::Escape(([double] $max).ToString('0.###', [cultureinfo]::InvariantCulture)))$"
        }
    }

    Context 'in plain text' {
        It 'has no escape sequence under -Plain' {
            $text = Show-Cluster $bright -Plain
            $text | Should -Not -Match ([regex]::Escape("$esc"))
            $text | Should -Match '@'
        }

        It "has no escape sequence when `$PSStyle.OutputRendering is 'PlainText'" {
            $saved = $PSStyle.OutputRendering
            try {
                $PSStyle.OutputRendering = 'PlainText'
                $text = Show-Cluster $bright
            }
            finally {
                $PSStyle.OutputRendering = $saved
            }
            $text | Should -Not -Match ([regex]::Escape("$esc"))
            Show-Cluster $bright | Should -Match ([regex]::Escape("$esc"))
        }

        It 'has no escape sequence when NO_COLOR is set' {
            $saved = $env:NO_COLOR
            try {
                $env:NO_COLOR = '1'
                $text = Show-Cluster $bright
            }
            finally {
                $env:NO_COLOR = $saved
            }
            $text | Should -Not -Match ([regex]::Escape("$esc"))
        }

        It 'puts tick 0 at the bottom and channels across' {
            # The cluster's brightest pixel is '@' in the row of its tick, counted from the bottom.
            $image = $bright.Image
            $best = 0; $tick = 0; $channel = 0
            for ($t = 0; $t -lt $image.GetLength(0); $t++) {
                for ($c = 0; $c -lt $image.GetLength(1); $c++) {
                    if ($image[$t, $c] -gt $best) { $best = $image[$t, $c]; $tick = $t; $channel = $c }
                }
            }
            $rows = @(Get-GridRow (Show-Cluster $bright -Plain))
            $row = $rows[$rows.Count - 1 - [math]::Floor($tick / 2)]
            $row.Substring(5 + 2 * $channel, 2) | Should -Be '@@'
            $rows[-1] | Should -Match '^  0 \+'
        }

        It 'is the same picture as the colour rendering, without colour' {
            $plain = Show-Cluster $bright -Plain
            @(Get-GridRow $plain).Count | Should -Be @(Get-GridRow (Show-Cluster $bright)).Count
        }
    }

    Context 'wider and missing images' {
        It 'draws a 128x32 image two cells a channel, within 80 columns' {
            $wide = @(Select-Cluster -LiteralPath (Get-TestDataPath 'golden/images_128x32.npz'))[0]
            $text = Show-Cluster $wide -Plain
            foreach ($line in $text -split "`n") { $line.Length | Should -BeLessOrEqual 80 }
            @(Get-GridRow $text)[0].Length | Should -Be (5 + 64)
        }

        It 'writes a ClusterHasNoImage error for a cluster of a metadata-only file and goes on' {
            $metadataOnly = @(Select-Cluster -LiteralPath (Get-TestDataPath 'golden/metadata_only.npz'))
            $out = @(Show-Cluster -InputObject ($metadataOnly + $bright) -Plain -ErrorVariable errs -ErrorAction SilentlyContinue)
            $out.Count | Should -Be 1
            $errs.Count | Should -Be $metadataOnly.Count
            $errs[0].FullyQualifiedErrorId | Should -Be 'ClusterHasNoImage,ClusterPS.Commands.ShowClusterCommand'
            $errs[0].Exception.Message | Should -Match 'metadata_only\.npz'
        }

        It 'stops on a missing image with -ErrorAction Stop' {
            $metadataOnly = @(Select-Cluster -LiteralPath (Get-TestDataPath 'golden/metadata_only.npz'))[0]
            { Show-Cluster $metadataOnly -ErrorAction Stop } | Should -Throw -ErrorId 'ClusterHasNoImage,ClusterPS.Commands.ShowClusterCommand'
        }
    }
}
