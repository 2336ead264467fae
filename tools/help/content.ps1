# The text of the ClusterPS cmdlet help, one hashtable per cmdlet. New-HelpXml.ps1 turns it
# into module/en-US/ClusterPS.dll-Help.xml; parameter attributes (mandatory, position,
# pipeline, wildcards, type, aliases, parameter sets) come from the built cmdlets
# themselves, and every example is run to capture its real output. See README.md.
#
# Keys of a command:
#   Name, Synopsis             the cmdlet and its one-line summary
#   Description, Notes         paragraphs (one string each)
#   Parameters                 [ordered]@{ <name> = @{ Description = @(...); Default = '...' } }:
#                              exactly the cmdlet's parameters (plus WhatIf and Confirm when
#                              it supports ShouldProcess), or the generator refuses to write
#   Inputs, Outputs            @{ Type = '...'; Description = '...' }
#   Examples                   see below
#   Links                      related topics
#
# Keys of an example:
#   Title, Remarks             the heading and the explanation paragraphs
#   Steps                      the commands, run one after another in one fresh session;
#                              each is shown after a 'PS /data> ' prompt, with its output
#   Setup                      commands run silently before the steps (optional)
#   Trim                       per step: an int (keep that many output lines, then '...')
#                              or a scriptblock that gets the lines and returns the new ones;
#                              the last entry applies to the remaining steps (optional)
#   Width                      output width, 80 by default (optional)
#   BlankBeforeOutput          $false: no blank line between a command and its output
#   AllowException             $true: the output may look like an unexpected failure
#
# Examples run with the example data folder as the current location: samples/ (the
# repository's samples), legacy/ (a Legacy11 file), gen13/ (a 13-column file) and
# suspect/ (the samples plus a truncated file and a duplicated batch). Use relative
# paths (./samples); full paths in the output are shown under /data.

$pathParam = @{
    Description = @(
        'Specifies the batch files (.npz) to read, or folders that hold them. Wildcards are allowed. A folder stands for every .npz file in it, read in plane order (U, V, X, then files whose name gives no plane) and, within a plane, in batch-number order. Add -Recurse to include the files in sub-folders.'
        'Relative paths follow the current PowerShell location. A path that does not exist gives the same error as Get-Item (error id PathNotFound) and the command goes on with the other paths. Path strings piped to the command (they bind to -InputObject) are read the same way.'
    )
}
$literalPathParam = @{
    Description = @(
        'Specifies batch files or folders exactly as written: no character is treated as a wildcard, so use it for names that contain [ ] * or ?.'
        'Aliases: PSPath and LP. Files and folders piped to the command (the output of Get-ChildItem or Get-Item; they bind to -InputObject) are read by their full path, as with -LiteralPath.'
    )
}
$inputObjectParam = @{
    Description = @(
        'Takes what is piped to the command: batches (from Get-ClusterBatch or Export-ClusterBatch -PassThru), clusters (from Select-Cluster), path strings (read as -Path reads them), and files or folders (Get-ChildItem, Get-Item, Resolve-Path output, read by their full path). A batch stands for exactly the file its full Path names, never a same-named file in the current location; a cluster stands for its file, once however many of its clusters arrive. Objects that came back from a job, a remote session (also SSH remoting, where PowerShell leaves them deserialized) or Import-Clixml work the same way in a session that imported ClusterPS.'
    )
}
$recurseParam = @{
    Description = @(
        'When a path is a folder, also reads the .npz files in all of its sub-folders, for example the U/, V/ and X/ folders of newer productions. It has no effect on paths that name files.'
    )
}
$layoutText = @(
    'Specifies the metadata column layout to read the files with, instead of detecting it. Enter a built-in layout name: Seed12 (12 columns, the seed layout and the default), Legacy11 (11 columns, no interaction column) or Momentum15 (15 columns, with the true momentum). Tab completion offers these names.'
    'Or enter a hashtable that maps field names to 0-based column numbers, for a generation of the data that has its own column order, for example @{ IsMarley = 0; IsMainTrack = 1; NuEnergy = 8; ParticleEnergy = 9; PlaneId = 10; IsES = 11; ColumnCount = 13 }. The fields are IsMarley, IsMainTrack, PositionX, PositionY, PositionZ, DirectionX, DirectionY, DirectionZ, NuEnergy, ParticleEnergy, PlaneId, IsES, MomentumX, MomentumY and MomentumZ; the seed''s column names (is_marley, true_pos_x, true_nu_energy, true_particle_energy, plane_id, is_es_interaction, ...) are accepted too. IsMarley, IsMainTrack and ParticleEnergy are required. With ColumnCount, files must have exactly that many columns; without it, at least the highest column number plus one. See about_ClusterPS for the full list.'
)
$layoutParam = @{
    Description = $layoutText + @(
        'Without -Layout, the layout is chosen by the number of metadata columns among the three built-in layouts. Either way the layout is then checked against the data: flags must be 0 or 1, and the plane column must hold 0, 1 or 2 and agree with the plane in the file name. A file with another column count, or one that fails the checks, gives a ClusterPS.LayoutMismatch error that names the column count; such files need -Layout.'
    )
}
$pipedLayoutNote = 'Batch objects piped in keep the layout they were read with unless -Layout is given; clusters keep theirs.'

$allCommands = 'Get-ClusterBatch', 'Select-Cluster', 'Get-ClusterStatistics', 'Export-ClusterBatch', 'Test-ClusterDataset', 'Show-Cluster', 'Export-ClusterImage', 'Get-ClusterHistogram', 'Export-ClusterReport'
function Get-Links([string] $self) { @($allCommands | Where-Object { $_ -ne $self }) + 'about_ClusterPS' }

$commands = @(
    #region Get-ClusterBatch
    @{
        Name        = 'Get-ClusterBatch'
        Synopsis    = 'Describes cluster batch files: plane, batch number, cluster count, image shape, layout and size.'
        Description = @(
            'The Get-ClusterBatch cmdlet returns one ClusterBatch object for each batch file (.npz) it is given, or for each batch file in the folders it is given. A batch object tells you the file''s path and name, its plane (U, V or X), its batch number, how many clusters it holds, the shape of its images (time ticks x channels), the metadata layout it was read with, its size in bytes, and whether its arrays are compressed.'
            'Get-ClusterBatch reads only the archive''s directory, the array headers and the small metadata table, whose CRC-32 it verifies as NumPy does. It never reads image data, so it is fast even on large datasets. Only regular files are read: a FIFO, device or socket named *.npz is refused at once (NotARegularFile), without being opened. The plane and batch number come from the file name (clusters_planeX_batch0007.npz, or <name>_planeX.npz in newer productions); when the name has no plane, the plane comes from the metadata.'
            'The metadata layout is detected from the column count and checked (see -Layout). A file that cannot be read, or whose metadata does not fit its layout, gives a non-terminating error for that file and the command goes on with the others.'
            'Batch objects can be piped to Select-Cluster and Get-ClusterStatistics, and they work with Sort-Object, Group-Object, Measure-Object, Format-Table, Export-Csv and ConvertTo-Json.'
        )
        Parameters  = [ordered]@{
            Path        = $pathParam
            LiteralPath = $literalPathParam
            InputObject = $inputObjectParam
            Plane       = @{ Description = @(
                    'Returns only batches of the given planes: U and V (the induction planes) or X (the collection plane). Enter one or more letters, for example -Plane U,V. A batch''s plane comes from its file name, or from its metadata when the name has none; batches whose plane is unknown are left out when -Plane is used.'
                ) }
            Recurse     = $recurseParam
            Layout      = $layoutParam
        }
        Inputs      = @(
            @{ Type = 'System.String'; Description = 'You can pipe paths of batch files or folders to this cmdlet.' }
            @{ Type = 'System.IO.FileInfo, System.IO.DirectoryInfo'; Description = 'You can pipe the output of Get-ChildItem or Get-Item; read by their full path.' }
            @{ Type = 'ClusterPS.ClusterBatch, ClusterPS.Cluster'; Description = 'You can pipe batches or clusters (also deserialized ones from jobs and remote sessions): each stands for its own file.' }
        )
        Outputs     = @(
            @{ Type = 'ClusterPS.ClusterBatch'; Description = 'One object per batch file, with the properties Path, Name, Plane, BatchNumber, Count, ImageShape (ticks x channels, or null when the file has no images array), Layout, Length (bytes) and Compressed. The default view is a table; Format-List shows every property.' }
        )
        Notes       = @(
            'Folders are expanded in plane order (U, V, X) and then batch-number order, so the output is in dataset order, not in the order the file system lists the files.'
            'Errors are non-terminating and have stable error ids of the form ClusterPS.<Code>, for example ClusterPS.NotAZipFile or ClusterPS.LayoutMismatch, with the category InvalidData and the file as target. Use -ErrorAction Stop to stop at the first bad file, or -ErrorVariable to collect the errors. about_ClusterPS lists every code.'
            'A file without an images array can still be described (ImageShape is empty); a file without a metadata array is an error.'
        )
        Examples    = @(
            @{
                Title   = 'Describe every batch file in a folder'
                Steps   = @('Get-ClusterBatch ./samples')
                Remarks = @('Lists the four batch files of the sample dataset in plane and batch order. The MB column is the file size in decimal megabytes; Zip says whether the arrays are deflate-compressed (written by np.savez_compressed).')
            }
            @{
                Title   = 'Count clusters per plane'
                Steps   = @('Get-ClusterBatch ./samples | Group-Object Plane | Select-Object Name, @{ n = ''Batches''; e = { $_.Count } }, @{ n = ''Clusters''; e = { [int]($_.Group | Measure-Object Count -Sum).Sum } }')
                Remarks = @('Groups the batch objects by plane and adds up their cluster counts. Only headers and metadata are read, so this takes milliseconds even for large datasets.')
            }
            @{
                Title   = 'Show one plane in full detail'
                Steps   = @('Get-ClusterBatch ./samples -Plane X | Format-List')
                Remarks = @('Gets the batches of the collection plane (X) only and shows every property. Length is in bytes. The second file is compressed, which is why it is much smaller.')
            }
            @{
                Title   = 'Pipe files from Get-ChildItem'
                Steps   = @('Get-ChildItem ./samples -Filter *.npz | Where-Object Length -gt 400KB | Get-ClusterBatch')
                Remarks = @('Get-ChildItem objects are read by their full path, so any file selection can be piped in.')
            }
            @{
                Title   = 'Handle bad files'
                Steps   = @(
                    'Get-ClusterBatch ./suspect -ErrorVariable bad | Measure-Object Count -Sum | Select-Object Count, Sum'
                    '$bad.FullyQualifiedErrorId'
                    'try { Get-ClusterBatch ./suspect -ErrorAction Stop } catch { "Stopped: $($_.Exception.Message)" }'
                )
                Remarks = @('The suspect folder holds a truncated file. The error for it is non-terminating: the other four files are still described (Count is the number of batch objects, Sum the number of clusters in them). -ErrorVariable collects the errors, whose ids are stable. With -ErrorAction Stop the first bad file ends the command, and try/catch handles it.')
            }
            @{
                Title   = 'Read a file whose column order matches no built-in layout'
                Steps   = @(
                    'Get-ClusterBatch ./gen13'
                    '$gen13 = @{ is_marley = 0; is_main_track = 1; true_pos_x = 2; true_pos_y = 3; true_pos_z = 4
   true_dir_x = 5; true_dir_y = 6; true_dir_z = 7; true_nu_energy = 8
   true_particle_energy = 9; plane_id = 10; is_es_interaction = 11; ColumnCount = 13 }'
                    'Get-ClusterBatch ./gen13 -Layout $gen13'
                )
                Remarks = @('A production wrote 13 metadata columns. Detection refuses to guess and says so; a hashtable that maps the seed''s column names to column numbers reads it. Column 12 is not mapped and is ignored. The Layout column shows Custom.')
            }
        )
        Links       = Get-Links 'Get-ClusterBatch'
    }
    #endregion
    #region Select-Cluster
    @{
        Name        = 'Select-Cluster'
        Synopsis    = 'Gets the clusters of batch files that pass metadata, energy and charge filters.'
        Description = @(
            'The Select-Cluster cmdlet returns one Cluster object for each cluster that passes every filter you give. Filters combine with AND; with no filter, every cluster is returned. Clusters come from batch files or folders named with -Path or -LiteralPath, from batch objects piped from Get-ClusterBatch, or from clusters piped from another Select-Cluster.'
            'A cluster object has the decoded metadata: IsMarley, IsMainTrack, Position and Direction (x, y, z), NuEnergy (null when the file says -1, not available), ParticleEnergy, PlaneId and Plane, Interaction (ES, CC or Unknown), the raw metadata row, and the batch it came from. Its Image ([tick, channel] float array) and Charge (sum of pixels) are loaded only when first used, from the file again: if the file was replaced or changed since the clusters were read (its length, modification time or images member differ), reading them is that file''s FileChanged error, never another file''s pixels.'
            'Metadata filters (-Marley, -MainTrack, -Interaction, -Plane and the energy bounds) are decided on the metadata table before any image byte is read. Only -MinCharge reads images, and only the images of clusters that passed the metadata filters. Filter inside Select-Cluster rather than with Where-Object afterwards: it is much faster, and it leaves the images unread.'
            'Files are read ahead of the pipeline on worker threads (up to twice as many files as the machine has processors) and come out in dataset order (plane, then batch number); clusters keep their file order. A bad file gives a non-terminating error and the command goes on with the next one.'
        )
        Parameters  = [ordered]@{
            Path        = $pathParam
            LiteralPath = $literalPathParam
            InputObject = @{ Description = @(
                    'Takes what is piped to the command: batches (ClusterBatch objects from Get-ClusterBatch or Export-ClusterBatch -PassThru) or clusters (from Select-Cluster) to filter, path strings (read as -Path reads them), and files or folders (Get-ChildItem output). A batch is read and filtered as a whole file, the file its full Path names; a cluster is kept or dropped as it is, in its place among the batches. Objects that came back from a job, a remote session or Import-Clixml work the same way.'
                    'ClusterStatistics objects hold no clusters and are refused with an UnsupportedInput error.'
                ) }
            Marley      = @{ Description = @(
                    'Keeps only Marley clusters: clusters from the Marley generator (supernova neutrino signal, is_marley = 1). Use -Marley:$false to keep only the others (background, noise, ...). Omit the parameter to keep both.'
                ) }
            MainTrack   = @{ Description = @(
                    'Keeps only main-track clusters (is_main_track = 1). Use -MainTrack:$false to keep only secondary clusters and fragments. Omit the parameter to keep both.'
                ) }
            Interaction = @{ Description = @(
                    'Keeps only clusters of one interaction type: ES (elastic scattering, is_es_interaction = 1, the main supernova signal channel) or CC (charged current, 0). Clusters read with a layout that does not record the interaction (Legacy11) never match.'
                ) }
            Plane       = @{ Description = @(
                    'Keeps only clusters of the given planes: U and V (induction) or X (collection). Enter one or more letters, for example -Plane U,V. A cluster''s plane comes from the plane_id column of its metadata, or from the file name when the layout has no plane column.'
                ) }
            MinEnergy   = @{ Description = @(
                    'Keeps clusters whose true particle energy (true_particle_energy) is at least this many MeV. The bound is inclusive.'
                ) }
            MaxEnergy   = @{ Description = @(
                    'Keeps clusters whose true particle energy (true_particle_energy) is at most this many MeV. The bound is inclusive.'
                ) }
            MinNuEnergy = @{ Description = @(
                    'Keeps clusters whose true neutrino energy (true_nu_energy) is at least this many MeV. The bound is inclusive. Clusters whose neutrino energy is not available (-1 in the file, NuEnergy is null) never match a neutrino-energy bound.'
                ) }
            MaxNuEnergy = @{ Description = @(
                    'Keeps clusters whose true neutrino energy (true_nu_energy) is at most this many MeV. The bound is inclusive. Clusters whose neutrino energy is not available (-1 in the file) never match, so -MaxNuEnergy does not let them through.'
                ) }
            MinCharge   = @{ Description = @(
                    'Keeps clusters whose charge is at least this value. The charge is the sum of all pixels of the cluster image, accumulated in double precision (ADC counts summed over ticks and channels). This is the only filter that reads images: the pixels of the clusters that passed the other filters are summed straight from the file, and the clusters returned already carry their Charge. When that is every cluster of a file, the whole images array is read and its CRC-32 verified: a mismatch is the file''s ChecksumMismatch error.'
                ) }
            Recurse     = $recurseParam
            Layout      = @{ Description = $layoutParam.Description + @($pipedLayoutNote) }
        }
        Inputs      = @(
            @{ Type = 'ClusterPS.ClusterBatch'; Description = 'Batch objects from Get-ClusterBatch: every cluster of the file is considered.' }
            @{ Type = 'ClusterPS.Cluster'; Description = 'Clusters from another Select-Cluster, filtered again.' }
            @{ Type = 'System.String'; Description = 'Paths of batch files or folders.' }
            @{ Type = 'System.IO.FileInfo, System.IO.DirectoryInfo'; Description = 'Output of Get-ChildItem or Get-Item; read by their full path.' }
        )
        Outputs     = @(
            @{ Type = 'ClusterPS.Cluster'; Description = 'One object per cluster that passes the filters, with the properties Batch, Path, Index (row in the batch, from 0), IsMarley, IsMainTrack, Position, Direction, Momentum (only with a layout that has momentum columns, such as Momentum15), NuEnergy, ParticleEnergy, PlaneId, Plane, Interaction, Image, ImageShape, Charge, Layout and Metadata (the raw row). The default view is a table grouped by batch file.' }
        )
        Notes       = @(
            'Image and Charge are lazy. The clusters that one file yields share one image reader: the first time any of them is asked for its image, the images of all of that file''s selected clusters are read in one pass, and nothing is read for pipelines that never touch pixels. Holding many clusters with loaded images costs 8 KB each (128 x 16 float32).'
            '-Marley and -MainTrack are switches with three states: present (only 1), :$false (only 0), absent (either).'
            'Errors are non-terminating with stable ids ClusterPS.<Code>; see about_ClusterPS.'
        )
        Examples    = @(
            @{
                Title   = 'Select Marley ES clusters of the collection plane'
                Steps   = @('Select-Cluster ./samples -Marley -Interaction ES -Plane X | Select-Object -First 5')
                Remarks = @('Returns the first five clusters that are Marley, ES and on plane X. A dash in the NuEnergy column means the neutrino energy is not available (-1 in the file). No image is read.')
            }
            @{
                Title   = 'Apply a charge cut to batches from Get-ClusterBatch'
                Steps   = @('Get-ClusterBatch ./samples -Plane X | Select-Cluster -MinCharge 2000 -MinEnergy 10 | Get-ClusterStatistics')
                Remarks = @('Keeps clusters of plane X with a particle energy of at least 10 MeV and a charge of at least 2000, and summarises them. The energy cut is decided on the metadata first; images are read only for the clusters that passed it. Batches counts the files the clusters came from.')
            }
            @{
                Title   = 'Select the complement of a flag'
                Steps   = @(
                    '(Select-Cluster ./samples -Marley:$false -MainTrack:$false | Measure-Object).Count'
                    '(Select-Cluster ./samples -Marley -MainTrack | Measure-Object).Count'
                )
                Remarks = @('-Marley:$false keeps non-Marley clusters and -MainTrack:$false keeps secondary clusters, so the first command counts background fragments and the second Marley main tracks.')
            }
            @{
                Title   = 'Look at one cluster in full'
                Steps   = @(
                    'Select-Cluster ./samples -MinNuEnergy 45 -MaxNuEnergy 50 | Select-Object -First 1 | Format-List'
                )
                Remarks = @('The list view shows the decoded metadata. Position is in cm, Direction is a unit vector, energies are in MeV. Clusters whose neutrino energy is not available never match -MinNuEnergy or -MaxNuEnergy.')
            }
            @{
                Title   = 'Work with the image and the charge'
                Steps   = @(
                    '$c = Select-Cluster ./samples/clusters_planeU_batch0000.npz | Select-Object -First 1'
                    '"{0} ticks x {1} channels, charge {2:N1}" -f $c.Image.GetLength(0), $c.Image.GetLength(1), $c.Charge'
                    '$hits = foreach ($t in 0..127) { foreach ($ch in 0..15) { if ($c.Image[$t, $ch] -gt 0) { $ch } } }
$hits | Group-Object | Select-Object @{ n = ''Channel''; e = { $_.Name } }, Count'
                )
                Remarks = @('Image is a two-dimensional float array indexed [tick, channel], read from the file the first time it is used. Charge is the sum of its pixels. The last command counts the non-zero pixels of each channel: this track lies on channels 3 and 4.')
            }
            @{
                Title   = 'Export selected clusters to CSV'
                Steps   = @(
                    'Select-Cluster ./samples -Marley -MainTrack | Sort-Object ParticleEnergy -Descending | Select-Object -First 3 @{ n = ''File''; e = { $_.Batch.Name } }, Index, ParticleEnergy, NuEnergy, Charge | Export-Csv ./top.csv'
                    'Import-Csv ./top.csv | Format-Table'
                )
                Setup   = @('Remove-Item ./top.csv -ErrorAction SilentlyContinue')
                Remarks = @('Cluster objects have plain properties, so Sort-Object, Select-Object, Export-Csv and ConvertTo-Json handle them directly. The file name and Index identify a cluster in the dataset. An empty NuEnergy means not available.')
            }
        )
        Links       = Get-Links 'Select-Cluster'
    }
    #endregion
    #region Get-ClusterStatistics
    @{
        Name        = 'Get-ClusterStatistics'
        Synopsis    = 'Counts the clusters of a dataset by plane, interaction, Marley and main-track flags, as the reference helper prints them.'
        Description = @(
            'The Get-ClusterStatistics cmdlet returns one ClusterStatistics object that summarises everything it was given: the number of batch files, clusters and bytes, the clusters per plane (U, V, X), per interaction (ES, CC, and Unknown for layouts without that column), the Marley and main-track clusters, each with its percentage (one decimal), and the ranges of particle and neutrino energy.'
            'The default view prints the same text as the reference Python helper (Dataset Statistics: ...), so results can be compared line by line. The numbers are also properties (Clusters, PlaneX, PlaneXPercent, ES, ESPercent, Marley, MarleyPercent, ParticleEnergyMin, ...) that scripts can compare.'
            'Give it paths or folders with -Path, or pipe batches, clusters or other statistics to it. From paths and batches it reads only the metadata tables, never the images. From clusters it counts just those clusters; the distinct files they came from count as the batches and their file sizes as the size. Statistics objects piped in are merged with each other: counts and sizes add up and the energy ranges widen. Two statistics objects can also be added with the + operator.'
            'The first line says File: when the statistics cover one file, and Directory: otherwise. Empty input gives zero counts and 0.0% rather than an error.'
        )
        Parameters  = [ordered]@{
            Path        = $pathParam
            LiteralPath = $literalPathParam
            InputObject = @{ Description = @(
                    'Takes what is piped to the command: batches (from Get-ClusterBatch), clusters (from Select-Cluster), ClusterStatistics objects to merge (also ones from jobs, remote sessions and Import-Clixml), path strings and files or folders. Merging is a union: a file, or a cluster, counted by two inputs counts once. Other objects give an UnsupportedInput error.'
                ) }
            Recurse     = $recurseParam
            Layout      = @{ Description = $layoutParam.Description + @($pipedLayoutNote) }
        }
        Inputs      = @(
            @{ Type = 'ClusterPS.ClusterBatch'; Description = 'Batch objects: every cluster of the file is counted, from its metadata.' }
            @{ Type = 'ClusterPS.Cluster'; Description = 'Clusters: each one is counted; their files count as batches.' }
            @{ Type = 'ClusterPS.ClusterStatistics'; Description = 'Statistics from other runs, merged into one.' }
            @{ Type = 'System.String'; Description = 'Paths of batch files or folders.' }
            @{ Type = 'System.IO.FileInfo, System.IO.DirectoryInfo'; Description = 'Output of Get-ChildItem or Get-Item; read by their full path.' }
        )
        Outputs     = @(
            @{ Type = 'ClusterPS.ClusterStatistics'; Description = 'Exactly one object, also when the input is empty. Properties: Source, SourceKind (File or Directory), Batches, Clusters, Bytes, SizeMB, PlaneU, PlaneV, PlaneX, PlaneUPercent, PlaneVPercent, PlaneXPercent, ES, CC, UnknownInteraction, ESPercent, CCPercent, Marley, MarleyPercent, MainTrack, MainTrackPercent, ParticleEnergyMin, ParticleEnergyMax, NuEnergyMin, NuEnergyMax (over clusters where it is known) and NuEnergyUnknown. ToReport() returns the report text.' }
        )
        Notes       = @(
            'Percentages are of all clusters counted and are rounded to one decimal, as in the reference output. Total size is in decimal megabytes (1 MB = 1,000,000 bytes).'
            'To see every property instead of the report, use Format-List * or Select-Object *.'
            'A bad file gives a non-terminating error (ClusterPS.<Code>) and is left out of the counts; the statistics of the other files are still returned.'
        )
        Examples    = @(
            @{
                Title   = 'Summarise a dataset folder'
                Steps   = @('Get-ClusterStatistics ./samples')
                Remarks = @('Prints the numbers of the reference helper for the whole folder. Only the metadata tables are read.')
            }
            @{
                Title   = 'Summarise one file'
                Steps   = @('Get-ClusterStatistics ./samples/clusters_planeX_batch0001.npz')
                Remarks = @('For a single file the first line says File: instead of Directory:.')
            }
            @{
                Title   = 'Summarise a selection'
                Steps   = @('Select-Cluster ./samples -Marley | Get-ClusterStatistics')
                Remarks = @('Counts only the Marley clusters. The batches and size are those of the files the clusters came from.')
            }
            @{
                Title   = 'Use the numbers in a script'
                Steps   = @(
                    '$s = Get-ClusterStatistics ./samples'
                    '$s | Select-Object Clusters, PlaneXPercent, ESPercent, MarleyPercent, ParticleEnergyMin, ParticleEnergyMax, NuEnergyUnknown'
                    'if ($s.MarleyPercent -gt 50) { Write-Warning "Suspicious: $($s.MarleyPercent)% Marley. Check -Layout." } else { ''Marley fraction looks plausible'' }'
                )
                Remarks = @('The statistics object has a property for every number in the report, so checks need no text parsing. A Marley fraction near 100% usually means the metadata was read with the wrong column order.')
            }
            @{
                Title   = 'Merge statistics of several folders or runs'
                Steps   = @(
                    '$a = Get-ClusterStatistics ./samples'
                    '$b = Get-ClusterStatistics ./legacy'
                    '$a, $b | Get-ClusterStatistics'
                )
                Remarks = @('Statistics objects piped to Get-ClusterStatistics are merged: counts and sizes add up and energy ranges widen. $a + $b gives the same result. The legacy folder holds Legacy11 files, which do not record the interaction, so an Unknown line appears.')
            }
            @{
                Title   = 'Turn statistics into JSON for a report'
                Steps   = @('Get-ClusterStatistics ./samples/*planeX* | Select-Object Source, Batches, Clusters, SizeMB, Marley, MarleyPercent, ES, CC | ConvertTo-Json')
                Remarks = @('Wildcards select the files of plane X. Select-Object picks the numbers to keep and ConvertTo-Json writes them in a form other tools can read.')
            }
        )
        Links       = Get-Links 'Get-ClusterStatistics'
    }
    #endregion
    #region Export-ClusterBatch
    @{
        Name        = 'Export-ClusterBatch'
        Synopsis    = 'Writes clusters from the pipeline into NumPy-loadable batch files.'
        Description = @(
            'The Export-ClusterBatch cmdlet writes the clusters piped to it into a folder as batch files in the seed format: np.savez archives with an images array (N x ticks x channels, float32) and a metadata array (N x 12, float32, Seed12 column order), named clusters_plane<P>_batch<NNNN>.npz. NumPy reads them with np.load, and every ClusterPS command reads them back to identical clusters.'
            'Clusters are gathered per plane into batches of at most -BatchSize clusters (1000 by default). Each plane''s batches are numbered from 0000 in the order the clusters arrive; a plane''s last batch holds the remainder. Clusters read with another layout are converted to the Seed12 columns (momentum columns are dropped; a missing neutrino energy is written as -1).'
            'Each file is written to a temporary file in the folder and renamed into place when it is complete, so a failure or Ctrl+C never leaves a partial batch file. A plane that already has batch files in the folder is not written unless you use -Force. The command supports -WhatIf and -Confirm.'
            'Use it to extract a subset of a dataset: select with Select-Cluster, then export.'
        )
        Parameters  = [ordered]@{
            Path               = @{ Description = @(
                    'Specifies the folder to write the batch files into. It is created if it does not exist. If the path names an existing file, the command stops with a PathIsFile error. Relative paths follow the current PowerShell location. A wildcard must match exactly one existing folder; a path on another provider than FileSystem (Env:, Variable:, ...) is a NotFileSystemPath error and nothing is written.'
                ) }
            LiteralPath        = @{ Description = @(
                    'Specifies the folder exactly as written: no character is treated as a wildcard. Otherwise as -Path.'
                ) }
            InputObject        = @{ Description = @(
                    'Specifies the clusters to write, normally piped from Select-Cluster. Each cluster''s image is read from its source file as it is exported. A cluster that cannot be written faithfully (no image because its file holds metadata only, no valid plane, or an unknown interaction without -UnknownInteraction) gives a ClusterNotExportable error and is skipped.'
                ) }
            BatchSize          = @{ Default = '1000'; Description = @(
                    'Specifies the largest number of clusters in one file, from 1 to 1,000,000. The default is 1000, as the generator writes. A change of image shape within a plane also starts a new file.'
                ) }
            Compress           = @{ Description = @(
                    'Compresses the arrays with deflate, as np.savez_compressed does. Sparse cluster images compress very well, at the cost of some time to write and read. Without it the arrays are stored uncompressed, as np.savez writes them.'
                ) }
            UnknownInteraction = @{ Description = @(
                    'Specifies the interaction to write, ES or CC, for clusters whose layout does not record it (Legacy11 data). Without this parameter such clusters are refused with a ClusterNotExportable error instead of being written with a guessed value. Clusters whose interaction is known are written as they are.'
                ) }
            Append             = @{ Description = @(
                    'Adds the clusters to a folder that already holds batch files: each plane''s series continues after the highest batch number in the folder, and no file is ever replaced. Each file claims its name by a rename that fails when the name exists, so several writers (jobs, ForEach-Object -Parallel runspaces, machines sharing the folder) can extract into one folder at the same time; every cluster lands in exactly one file. Cannot be combined with -Force.'
                ) }
            Force              = @{ Description = @(
                    'Replaces the batch files of the planes this export writes. Without -Force, a plane that already has batch files in the folder (clusters_plane<P>_batch*.npz) is refused as a whole, so that a folder never mixes two exports: each of its batches gives a BatchFileExists error and its clusters are skipped; the other planes are still written. With -Force, a warning names the older batch files of a plane that are numbered beyond the new series, which this export did not replace, and the temporary files of batch files that killed exports left in the folder (.clusters_plane<P>_batch<NNNN>.npz.<8 hex digits>.tmp) are removed when no process holds them open and they have not been written for 10 minutes, so that another export still writing into the folder is never disturbed (-Verbose names each one removed).'
                ) }
            PassThru           = @{ Description = @(
                    'Returns a ClusterBatch object for each file written, read back from disk, for example to pipe to Get-ClusterStatistics. By default this cmdlet returns no output.'
                ) }
            WhatIf             = @{ Description = @(
                    'Shows which files would be written, with their plane and cluster count, without writing anything. The clusters are still read, so this also checks that every cluster can be exported.'
                ) }
            Confirm            = @{ Description = @(
                    'Asks for confirmation before writing each batch file.'
                ) }
        }
        Inputs      = @(
            @{ Type = 'ClusterPS.Cluster'; Description = 'Clusters from Select-Cluster.' }
        )
        Outputs     = @(
            @{ Type = 'None'; Description = 'By default, this cmdlet returns no output.' }
            @{ Type = 'ClusterPS.ClusterBatch'; Description = 'With -PassThru, one batch object for each file written.' }
        )
        Notes       = @(
            'Batch numbers restart at 0000 for every run, per plane. To add to an existing dataset, export into a new folder.'
            'A batch is written when it is full, and the remaining partly filled batches when the pipeline ends, in plane order. If the pipeline is stopped (Ctrl+C), the batches not yet written are not written, and no partial file is left.'
            'Errors: ClusterNotExportable (a cluster was skipped), BatchFileExists (the folder already holds batch files of the plane and -Force was not given), BatchWriteFailed (the disk refused the write), PathIsFile and DirectoryNotCreated (terminating: the folder cannot be used), and ClusterPS.<Code> when a cluster''s image cannot be read from its source file (once per file; for example ChecksumMismatch when exporting every cluster of a file whose images fail their CRC-32, or FileChanged when the file was replaced since its clusters were read). Nothing of such a file is written.'
        )
        Examples    = @(
            @{
                Title   = 'Extract the Marley clusters of plane X'
                Steps   = @('Get-ClusterBatch ./samples -Plane X | Select-Cluster -Marley | Export-ClusterBatch ./marley_x -PassThru')
                Setup   = @('Remove-Item ./marley_x -Recurse -ErrorAction SilentlyContinue')
                Remarks = @('Selects the Marley clusters of the two plane X batches and writes them into a new folder. -PassThru returns the written file, here one uncompressed batch of 57 clusters.')
            }
            @{
                Title   = 'Preview an export with -WhatIf'
                Steps   = @('Select-Cluster ./samples -Interaction CC | Export-ClusterBatch ./cc -BatchSize 40 -WhatIf')
                Setup   = @('Remove-Item ./cc -Recurse -ErrorAction SilentlyContinue')
                Remarks = @('Shows the files that would be written, at most 40 clusters each, one series per plane. Nothing is written and the folder is not created.')
            }
            @{
                Title   = 'Write compressed batches of a chosen size'
                Steps   = @(
                    'Select-Cluster ./samples -MinCharge 1000 | Export-ClusterBatch ./bright -BatchSize 100 -Compress -PassThru'
                    'Get-ClusterStatistics ./bright | Select-Object Batches, Clusters, SizeMB'
                )
                Setup   = @('Remove-Item ./bright -Recurse -ErrorAction SilentlyContinue')
                Remarks = @('Writes the clusters with a charge of at least 1000 into deflate-compressed files of at most 100 clusters (np.savez_compressed format), then summarises the new folder.')
            }
            @{
                Title   = 'Existing files are kept unless you use -Force'
                Steps   = @(
                    'Select-Cluster ./samples -Plane U | Export-ClusterBatch ./u_only'
                    'Select-Cluster ./samples -Plane U | Export-ClusterBatch ./u_only'
                    'Select-Cluster ./samples -Plane U | Export-ClusterBatch ./u_only -Force -PassThru'
                )
                Setup   = @('Remove-Item ./u_only -Recurse -ErrorAction SilentlyContinue')
                Remarks = @('The second run finds the plane U batch file from the first and refuses to write plane U into the folder again. With -Force the file is replaced, atomically: it is written under a temporary name and then renamed.')
            }
            @{
                Title   = 'Convert Legacy11 files to the seed layout'
                Steps   = @(
                    'Select-Cluster ./legacy | Export-ClusterBatch ./legacy_seed'
                    'Select-Cluster ./legacy | Export-ClusterBatch ./legacy_seed -UnknownInteraction ES -PassThru'
                )
                Setup   = @('Remove-Item ./legacy_seed -Recurse -ErrorAction SilentlyContinue')
                Trim    = @({ param($l) $l | Select-Object -First 2 ; '...' }, 0)
                Remarks = @('Legacy11 files have no interaction column, so the exporter refuses to invent one (one ClusterNotExportable error per cluster; the first two are shown here). If you know the sample is all ES, say so with -UnknownInteraction ES and the clusters are written in the Seed12 layout.')
            }
        )
        Links       = Get-Links 'Export-ClusterBatch'
    }
    #endregion
    #region Test-ClusterDataset
    @{
        Name        = 'Test-ClusterDataset'
        Synopsis    = 'Audits a cluster dataset and reports every problem it finds.'
        Description = @(
            'The Test-ClusterDataset cmdlet reads every byte of every batch file it is given, verifies the CRC-32 checksums, checks the metadata and images of every cluster, and then checks the dataset as a whole. It returns one AuditFinding object per problem, with a severity (Error, Warning or Info), a stable rule name, the file, the first cluster concerned, how many clusters the finding covers, and a message. A clean dataset returns nothing.'
            'Errors: UnreadableFile (not a zip, truncated, corrupt, missing array, bad header or dtype), CrcMismatch, ShapeMismatch, RowCountMismatch, UnknownLayout (a column count that matches no built-in layout and no -Layout), LayoutMismatch (a column count that does not fit the -Layout given), FlagNotBinary (IsMarley, IsMainTrack or IsES not 0 or 1), InvalidPlaneId, PlaneMismatch (plane column differs from the file name), NonFiniteMetadata and NonFiniteImage (NaN or infinity).'
            'Warnings: DuplicateCluster (identical image and metadata, also across files), DirectionNotUnit, InvalidEnergySentinel (a negative energy other than -1), OversizedBatch (more than 1000 clusters), MixedImageShapes, MixedDTypes and MixedLayouts (a file whose image shape, dtypes or column count differs from those of most files), BatchNumberGap (missing batch numbers in a plane) and StaleTempFile (a temporary .<name>.<8 hex digits>.tmp file, held by no process, that an export killed while writing left in an audited folder). Info: NotFloat32 (arrays not stored as little-endian float32).'
            'Unlike the other commands, the audit reads metadata without the layout plausibility checks and reports each failed check as a finding, so one run shows everything that is wrong. A rule that fails for many clusters of one file gives one finding that names the first cluster and the count.'
            'With -Quiet it returns a single Boolean instead, for scripts and CI.'
        )
        Parameters  = [ordered]@{
            Path        = $pathParam
            LiteralPath = $literalPathParam
            InputObject = $inputObjectParam
            Quiet       = @{ Description = @(
                    'Returns only $true or $false instead of the findings: $true when there is no Error finding and every path was found; $false otherwise. With -Strict, Warning findings also give $false. Info findings never do.'
                ) }
            Strict      = @{ Description = @(
                    'With -Quiet, makes Warning findings fail the dataset too. It does not change which findings are written without -Quiet.'
                ) }
            Recurse     = $recurseParam
            Layout      = @{ Description = $layoutText + @(
                    'Without -Layout, each file''s layout is chosen by its column count among the built-in layouts; a file with another column count gives an UnknownLayout finding and its metadata rules are skipped. With -Layout, a file whose column count does not fit it gives a LayoutMismatch finding instead. The plausibility checks do not stop the audit: their failures are reported as FlagNotBinary, InvalidPlaneId and PlaneMismatch findings.'
                ) }
        }
        Inputs      = @(
            @{ Type = 'System.String'; Description = 'Paths of batch files or folders.' }
            @{ Type = 'System.IO.FileInfo, System.IO.DirectoryInfo'; Description = 'Output of Get-ChildItem or Get-Item, read by their full path.' }
            @{ Type = 'ClusterPS.ClusterBatch, ClusterPS.Cluster'; Description = 'Batches or clusters (also ones from jobs and remote sessions): each file they stand for is audited once.' }
        )
        Outputs     = @(
            @{ Type = 'ClusterPS.AuditFinding'; Description = 'One object per problem, with the properties Severity (Error, Warning or Info), Rule, Path (null for batch-number gaps, which concern a plane), Index (first cluster concerned, from 0), Count (clusters covered) and Message.' }
            @{ Type = 'System.Boolean'; Description = 'With -Quiet, exactly one value: $true when the dataset passed.' }
        )
        Notes       = @(
            'The audit reads all image data, so it takes about as long as reading the dataset once. Memory stays bounded: images are streamed and duplicates are found by 128-bit hashes, not by keeping pixels.'
            'Dataset-wide findings (mixed shapes, dtypes or layouts, batch-number gaps) are written after all files have been audited. A file named more than once, for example as a file and through its folder, is audited once.'
            'A path that does not exist is a PathNotFound error, not a finding, and makes -Quiet return $false.'
        )
        Examples    = @(
            @{
                Title   = 'Audit a folder'
                Steps   = @('Test-ClusterDataset ./suspect')
                Remarks = @('The suspect folder holds a truncated file and a copy of another batch under a new number. The audit reports the unreadable file, the 200 duplicated clusters (one finding for the whole file) and the batch number missing from plane X.')
            }
            @{
                Title   = 'Pass or fail in a script or CI job'
                Steps   = @(
                    'Test-ClusterDataset ./samples -Quiet'
                    'Test-ClusterDataset ./suspect -Quiet'
                    'pwsh -NoProfile -Command ''if (-not (Test-ClusterDataset ./suspect -Quiet)) { exit 1 }'''
                    '$LASTEXITCODE'
                )
                Remarks = @('-Quiet returns one Boolean. In a CI step, turn it into the exit code of pwsh, as the third command does, so that the job fails when the audit finds an Error (the module is imported automatically when it is installed). Add -Strict to fail on warnings too.')
            }
            @{
                Title   = 'Summarise the findings of a large audit'
                Steps   = @('Test-ClusterDataset ./suspect | Group-Object Severity, Rule -NoElement | Sort-Object Name')
                Remarks = @('Groups the findings by severity and rule to see what kind of problems a dataset has before looking at each one.')
            }
            @{
                Title   = 'Warnings fail only with -Strict'
                Steps   = @(
                    'Test-ClusterDataset ./samples, ./suspect/clusters_planeX_batch0003.npz'
                    'Test-ClusterDataset ./samples, ./suspect/clusters_planeX_batch0003.npz -Quiet'
                    'Test-ClusterDataset ./samples, ./suspect/clusters_planeX_batch0003.npz -Quiet -Strict'
                )
                Remarks = @('Adds to the samples the copy of plane X batch 0 from the suspect folder: its clusters duplicate those of batch 0, and its number leaves batch 2 missing. Both are Warnings, so without -Strict the dataset still passes.')
            }
            @{
                Title   = 'Audit files of an unknown layout'
                Steps   = @(
                    'Test-ClusterDataset ./gen13'
                    'Test-ClusterDataset ./gen13 -Layout @{ IsMarley = 0; IsMainTrack = 1; NuEnergy = 8; ParticleEnergy = 9; PlaneId = 10; IsES = 11; ColumnCount = 13 }'
                )
                Remarks = @('A 13-column file matches no built-in layout, so its metadata cannot be checked until you say which column holds what. With -Layout the audit checks it and finds nothing wrong.')
            }
        )
        Links       = Get-Links 'Test-ClusterDataset'
    }
    #endregion
)

# Show-Cluster and Export-ClusterImage.
$commands += & (Join-Path $PSScriptRoot 'content-images.ps1')
# Get-ClusterHistogram and Export-ClusterReport.
$commands += & (Join-Path $PSScriptRoot 'content-histograms.ps1')
$commands
