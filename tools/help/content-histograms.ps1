# Help text of Get-ClusterHistogram and Export-ClusterReport (see content.ps1).

@(
    #region Get-ClusterHistogram
    @{
        Name        = 'Get-ClusterHistogram'
        Synopsis    = 'Bins one field of the clusters, as np.histogram does, per class, and draws it as a bar chart.'
        Description = @(
            'The Get-ClusterHistogram cmdlet returns the distribution of one field of the clusters it is given: ParticleEnergy, NuEnergy, Charge (the sum of the pixels), PositionX, PositionY, PositionZ, DirectionX, DirectionY, DirectionZ, MomentumX, MomentumY, MomentumZ (Momentum15 files), PlaneId, or the flags IsMarley, IsMainTrack and IsES. With -GroupBy it returns one histogram per class: Marley and Background, ES and CC, U, V and X, or MainTrack and Secondary; without it, one histogram whose Group is All.'
            'The bins are those of NumPy''s np.histogram over the values as float64 (float32 values widen exactly): -Bins equal-width bins whose edges are np.linspace(minimum, maximum, Bins + 1), each bin closed on the left and open on the right except the last, which holds its right edge too. The range is the smallest to the largest value unless -Minimum or -Maximum is given; when the two are equal the range is widened by 0.5 on each side, and with no values at all it is 0 to 1, as NumPy does. With -GroupBy and a range from the data, the range is taken over all groups, so every group has the same edges and the histograms can be compared and merged.'
            'Values outside a given range are not dropped: they are counted as Underflow (below -Minimum) and Overflow (above -Maximum). Clusters without a usable value are counted as Missing and left out of the bins: NaN and infinite values (where NumPy''s histogram would fail or drop them silently), neutrino energies the file marks as unknown (-1), fields the layout does not have, and the charge of clusters from files without images. Total is the number of values counted in the bins plus Underflow and Overflow.'
            'Metadata fields are read from the metadata table only, never from the images. Charge reads every image once, streaming from a reused buffer, and checks the images'' CRC-32. Memory stays flat: with -Minimum and -Maximum only the counts are kept; otherwise each value (8 bytes per cluster, never the pixels) is kept until the range is known.'
            'Histograms piped in (from other files, runs, jobs or machines) are merged with those of the same Property and Group, which needs equal edges: make them with the same -Bins, -Minimum and -Maximum. Two histograms can also be added with the + operator.'
            'The default view draws each histogram as a horizontal bar chart within 80 columns: one line per bin with its range, a bar of block characters (down to an eighth of a character) and its count, in a colour of its group. It is plain text, with no escape sequence, when the NO_COLOR environment variable is set or $PSStyle.OutputRendering is PlainText.'
        )
        Parameters  = [ordered]@{
            Path        = $pathParam
            LiteralPath = $literalPathParam
            InputObject = @{ Description = @(
                    'Takes what is piped to the command: batches (from Get-ClusterBatch) to bin all clusters of, clusters (from Select-Cluster) to bin, ClusterHistogram objects to merge (also ones from jobs, remote sessions and Import-Clixml), path strings and files or folders. Statistics objects are refused with an UnsupportedInput error.'
                ) }
            Property    = @{ Description = @(
                    'Specifies the field to bin: ParticleEnergy, NuEnergy, Charge, PositionX, PositionY, PositionZ, DirectionX, DirectionY, DirectionZ, MomentumX, MomentumY, MomentumZ, PlaneId, IsMarley, IsMainTrack or IsES. Tab completion offers these names; case does not matter.'
                    'Required to bin paths, batches or clusters. Histograms piped in merge without it.'
                ) }
            Bins        = @{ Default = '20'; Description = @(
                    'Specifies the number of equal-width bins, from 1 to 10000. The default is 20.'
                ) }
            Minimum     = @{ Default = 'the smallest value'; Description = @(
                    'Specifies the lower edge of the first bin. Smaller values are counted as Underflow. Without it, the smallest value of all groups is the lower edge.'
                ) }
            Maximum     = @{ Default = 'the largest value'; Description = @(
                    'Specifies the upper edge of the last bin, which holds values equal to it. Larger values are counted as Overflow. Without it, the largest value of all groups is the upper edge.'
                ) }
            GroupBy     = @{ Default = 'None'; Description = @(
                    'Returns one histogram per class of cluster: Marley (groups Marley and Background), Interaction (ES and CC; Unknown for Legacy11 files), Plane (U, V and X) or MainTrack (MainTrack and Secondary). Only groups that have clusters are returned. None, the default, returns one histogram whose Group is All.'
                ) }
            Recurse     = $recurseParam
            Layout      = @{ Description = $layoutParam.Description + @($pipedLayoutNote) }
        }
        Inputs      = @(
            @{ Type = 'ClusterPS.ClusterBatch'; Description = 'Batch objects: every cluster of the file is binned.' }
            @{ Type = 'ClusterPS.Cluster'; Description = 'Clusters: each one is binned.' }
            @{ Type = 'ClusterPS.ClusterHistogram'; Description = 'Histograms to merge, per property and group.' }
            @{ Type = 'System.String'; Description = 'Paths of batch files or folders.' }
            @{ Type = 'System.IO.FileInfo, System.IO.DirectoryInfo'; Description = 'Output of Get-ChildItem or Get-Item; read by their full path.' }
        )
        Outputs     = @(
            @{ Type = 'ClusterPS.ClusterHistogram'; Description = 'One object per group, with Property, Group, Edges (Bins + 1 numbers), Counts (one per bin), Underflow, Overflow, Missing, Total and Bins. [ClusterPS.ClusterHistogram]::FromParts(Property, Group, Edges, Counts, Underflow, Overflow, Missing) rebuilds one from its properties.' }
        )
        Notes       = @(
            'To compare with NumPy: np.histogram(values.astype(np.float64), bins=Bins, range=(Minimum, Maximum)) gives the same Counts and Edges for the finite values inside the range.'
            'Errors: a bad file gives the non-terminating error of its file (ClusterPS.<Code>) and the other files are still binned; a charge histogram of a file whose images fail their CRC-32 gives ClusterPS.ChecksumMismatch. HistogramEdgesDiffer (merging histograms of other edges) and HistogramRangeEmpty (-Minimum above every value, or -Maximum below) are non-terminating; InvalidHistogramArgument (an unknown -Property, -Minimum above -Maximum) and PropertyRequired stop the command.'
        )
        Examples    = @(
            @{
                Title   = 'Draw the particle energy of Marley and background clusters'
                Steps   = @('Get-ClusterHistogram ./samples -Property ParticleEnergy -GroupBy Marley -Bins 10')
                Remarks = @('Both groups share the range of all clusters, so their bins line up. In a terminal the bars are in colour (orange for Marley, blue for the background); here the help shows plain text.')
            }
            @{
                Title   = 'Count within a fixed range'
                Steps   = @('Get-ClusterHistogram ./samples -Property NuEnergy -Minimum 10 -Maximum 40 -Bins 6 | Select-Object Group, Counts, Underflow, Overflow, Missing, Total')
                Remarks = @('Neutrino energies below 10 MeV are Underflow, those above 40 MeV Overflow; the clusters whose neutrino energy is unknown are Missing.')
            }
            @{
                Title   = 'The charge of the clusters of each plane'
                Steps   = @('Get-ClusterBatch ./samples | Get-ClusterHistogram -Property Charge -GroupBy Plane -Bins 5 | Format-Table Group, Total, Missing, @{ n = ''Counts''; e = { $_.Counts -join '' '' } }'
                    '(Get-ClusterHistogram ./samples -Property Charge -GroupBy Plane -Bins 5)[0].Edges | ForEach-Object { [math]::Round($_, 1) }')
                Remarks = @('Charge sums the pixels of every cluster, so this reads the images (once, streaming). Format-Table shows the numbers instead of the charts. The three planes share their edges, from the smallest to the largest charge of all clusters.')
            }
            @{
                Title   = 'Merge histograms made from parts of a dataset'
                Steps   = @(
                    '$parts = Get-ChildItem ./samples/*.npz | ForEach-Object { Get-ClusterHistogram -LiteralPath $_.FullName -Property ParticleEnergy -Minimum 0 -Maximum 40 -Bins 8 }'
                    '($parts | Get-ClusterHistogram).Counts -join '' '''
                    '(Get-ClusterHistogram ./samples -Property ParticleEnergy -Minimum 0 -Maximum 40 -Bins 8).Counts -join '' '''
                    '($parts[0] + $parts[1]).Total'
                )
                Remarks = @('Histograms with the same edges add up, whether they come from files, jobs or other machines: piping them to Get-ClusterHistogram merges them per property and group, and + adds two. Give every part the same -Minimum, -Maximum and -Bins, so that their edges are equal.')
            }
        )
        Links       = Get-Links 'Get-ClusterHistogram'
    }
    #endregion
    #region Export-ClusterReport
    @{
        Name        = 'Export-ClusterReport'
        Synopsis    = 'Writes one self-contained HTML report of a dataset: statistics, audit findings, distributions and example images.'
        Description = @(
            'The Export-ClusterReport cmdlet reads the batch files piped to it (batches from Get-ClusterBatch, or paths of files and folders) and writes one HTML file that shows: the statistics of Get-ClusterStatistics as a table and as the reference helper prints them; the findings of Test-ClusterDataset, with every unreadable or suspicious file named; the distributions of particle energy, neutrino energy, charge and the x, y and z positions of Marley and background clusters as charts with axes and labels (30 bins each, over the range of all clusters); and a gallery of the first example images of each class.'
            'The file is self-contained: its style sheet is inline, the charts are inline SVG and the images are PNG data. It loads nothing from the network and has no script, so it reads offline, can be attached to a CI run, fits a phone screen and prints.'
            'Every file is read once for the statistics, charts and gallery (the images streaming, for the charge) and once by the audit. A file that cannot be read gives the non-terminating error of its file and is named at the top of the report and in its audit table; the report is still written. To have an unreadable file in the report, give its folder or path: Get-ClusterBatch already refuses it, so it never reaches the pipeline as a batch.'
            'The report is written to a temporary file next to -Path and renamed into place when it is complete, so a failure or Ctrl+C never leaves a partial report. An existing file is not overwritten unless you use -Force. The command supports -WhatIf and -Confirm.'
        )
        Parameters  = [ordered]@{
            Path        = @{ Description = @(
                    'Specifies the report file to write, for example ./report.html. Relative paths follow the current PowerShell location; wildcards are not interpreted. The path must be on the file system; its folder is created if missing.'
                ) }
            LiteralPath = @{ Description = @(
                    'Specifies the report file exactly as written (aliases PSPath and LP). Like -Path, it is never interpreted as a wildcard pattern; use either.'
                ) }
            InputObject = @{ Description = @(
                    'Specifies what to report on: batches (from Get-ClusterBatch), paths of batch files or folders (strings, wildcards allowed), or files and folders from Get-ChildItem. Usually piped. A file given more than once is read once; a cluster stands for its file. Statistics are refused with an UnsupportedInput error.'
                ) }
            Recurse     = @{ Description = @(
                    'When an input is a folder, also reads the .npz files in all of its sub-folders.'
                ) }
            Layout      = @{ Description = $layoutText + @('The audit reads with this layout as Test-ClusterDataset -Layout does.') }
            Title       = @{ Default = 'ClusterPS dataset report'; Description = @(
                    'Specifies the heading and the title of the page.'
                ) }
            Force       = @{ Description = @(
                    'Overwrites the report file if it exists. Without -Force an existing file stops the command with a ReportFileExists error, before anything is read.'
                ) }
            PassThru    = @{ Description = @(
                    'Returns a FileInfo object, as Get-Item does, for the report written. By default this cmdlet returns no output.'
                ) }
            WhatIf      = @{ Description = @(
                    'Shows which file would be written, for how many batch files, without reading or writing anything.'
                ) }
            Confirm     = @{ Description = @(
                    'Asks for confirmation before reading the dataset and writing the report.'
                ) }
        }
        Inputs      = @(
            @{ Type = 'ClusterPS.ClusterBatch'; Description = 'Batches from Get-ClusterBatch.' }
            @{ Type = 'System.String'; Description = 'Paths of batch files or folders.' }
            @{ Type = 'System.IO.FileInfo, System.IO.DirectoryInfo'; Description = 'Output of Get-ChildItem or Get-Item.' }
        )
        Outputs     = @(
            @{ Type = 'None'; Description = 'By default, this cmdlet returns no output.' }
            @{ Type = 'System.IO.FileInfo'; Description = 'With -PassThru, the report file.' }
        )
        Notes       = @(
            'The report of the four sample files is about 160 KB. Open it in any browser; headless Chromium renders it in the module''s tests.'
            'Errors: a bad batch file gives its ClusterPS.<Code> error and the report is still written; UnsupportedInput and PathNotFound are non-terminating; NotFileSystemPath, ReportPathIsFolder, ReportFileExists and ReportWriteFailed stop the command and nothing is written.'
        )
        Examples    = @(
            @{
                Title   = 'Report on a dataset folder'
                Steps   = @('Get-ClusterBatch ./samples | Export-ClusterReport ./report.html -PassThru | Select-Object Name, Length')
                Setup   = @('Remove-Item ./report.html -ErrorAction SilentlyContinue')
                Remarks = @('Writes report.html with the statistics, audit, charts and example images of the samples. -PassThru returns the file.')
            }
            @{
                Title   = 'A report for CI that names the broken files'
                Steps   = @(
                    '''./suspect'' | Export-ClusterReport ./suspect.html -Title ''Nightly production'''
                    'Select-String -Path ./suspect.html -Pattern ''\d+ files? could not be read'', ''UnreadableFile|DuplicateCluster|BatchNumberGap'' -AllMatches | ForEach-Object { $_.Matches.Value } | Sort-Object -Unique'
                )
                Setup   = @('Remove-Item ./suspect.html -ErrorAction SilentlyContinue')
                Remarks = @('The folder path is piped, so the truncated batch reaches the report: its error is written, the report names it at the top and in the audit, and the other files are counted and charted. Attach the file to the CI run as it is: it needs nothing else to be read.')
            }
            @{
                Title   = 'Existing reports are kept unless you use -Force'
                Steps   = @(
                    'Get-ClusterBatch ./samples | Export-ClusterReport ./report.html'
                    'Get-ClusterBatch ./samples | Export-ClusterReport ./report.html -Force -WhatIf'
                )
                Remarks = @('The first command refuses to overwrite the report of the first example. The second shows what -Force would do, without reading or writing.')
                AllowException = $true
            }
        )
        Links       = Get-Links 'Export-ClusterReport'
    }
    #endregion
)
