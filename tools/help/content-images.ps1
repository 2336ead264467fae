# Help text of Show-Cluster and Export-ClusterImage (see content.ps1).

# Show-Cluster pictures are 64 text rows high; in the help, runs of empty rows are cut.
$collapse = {
    param($lines)
    $blank = 0
    foreach ($l in $lines) {
        if ($l -match '^\s*\|\s*$') {
            $blank++
            if ($blank -le 2) { $l } elseif ($blank -eq 3) { '   ...' }
        } else {
            $blank = 0
            $l
        }
    }
}

@(
    #region Show-Cluster
    @{
        Name        = 'Show-Cluster'
        Synopsis    = 'Draws cluster images as heat maps in the terminal.'
        Description = @(
            'The Show-Cluster cmdlet draws the image of each cluster piped to it as a viridis heat map, in text, for a quick look without leaving the terminal. Channels run across (two character cells per channel) and time ticks run up, with tick 0 on the bottom row; each text row holds two ticks.'
            'In colour, each cell is an upper half block character whose 24-bit ANSI foreground colour is the upper tick and whose background colour is the lower tick. The colours run from dark purple (zero, or the most negative pixel) to yellow (the brightest pixel of that image); each image is scaled on its own.'
            'Above the picture are two title lines: the batch file and the cluster index, then the plane, Marley or not, main track or secondary, the interaction, the particle and neutrino energies and the charge. A tick axis is on the left (labelled every 16 ticks), a channel axis below, and a scale line at the end gives the value of the brightest colour. A 16-channel image fits in 80 columns and takes 64 rows plus 6.'
            'With -Plain, or when $PSStyle.OutputRendering is PlainText, or when the NO_COLOR environment variable is set, the picture is plain text: each cell is a character of the ramp " .:-=+*#%@" for the brighter of its two ticks, and the output holds no escape sequence.'
            'The output is one string per cluster, so pictures can be captured in a variable or written to a file.'
        )
        Parameters  = [ordered]@{
            InputObject = @{ Description = @(
                    'Specifies the clusters to draw, usually piped from Select-Cluster. The image of each cluster is read from its file if it has not been read yet. A cluster from a file that holds metadata only gives a ClusterHasNoImage error; a cluster whose image cannot be read gives the ClusterPS.<Code> error of its file.'
                ) }
            Plain       = @{ Description = @(
                    'Draws with the characters " .:-=+*#%@" (from zero to the brightest pixel) instead of colours, and writes no escape sequence. Use it for logs, for terminals without 24-bit colour, and for text files. Plain text is also used without -Plain when $PSStyle.OutputRendering is PlainText or the NO_COLOR environment variable is set.'
                ) }
        }
        Inputs      = @(
            @{ Type = 'ClusterPS.Cluster'; Description = 'Clusters from Select-Cluster.' }
        )
        Outputs     = @(
            @{ Type = 'System.String'; Description = 'One multi-line string per cluster: the title, the picture, the axes and the scale line.' }
        )
        Notes       = @(
            'Drawing a cluster loads its image. The clusters that Select-Cluster yields from one file share an image reader, so drawing several clusters of one file reads that file once.'
            'When the output is redirected to a file in a session whose $PSStyle.OutputRendering is Host or Ansi, the colour escape sequences are written too; use -Plain for files.'
        )
        Examples    = @(
            @{
                Title   = 'Draw one cluster as plain text'
                Steps   = @('Select-Cluster ./samples/clusters_planeU_batch0000.npz | Select-Object -First 1 | Show-Cluster -Plain')
                Trim    = @($collapse)
                Remarks = @('Draws the first cluster of the plane U batch: a Marley main track that crosses about 70 ticks on channels 3 and 4. The scale line says that @, the last character of the ramp, stands for 119.5, the brightest pixel. In this help, runs of empty rows are cut and shown as ...; in a terminal without -Plain the picture is in colour.')
            }
            @{
                Title   = 'Look at the brightest Marley main track'
                Steps   = @(
                    '$PSStyle.OutputRendering = ''PlainText'''
                    'Select-Cluster ./samples -Marley -MainTrack -Plane X | Sort-Object Charge -Descending | Select-Object -First 1 | Show-Cluster'
                )
                Trim    = @($collapse)
                Remarks = @('Sorting on Charge loads the images of the selected clusters; Show-Cluster then draws the brightest one, a track that crosses most of the time window on channel 4. With $PSStyle.OutputRendering set to PlainText, as here, Show-Cluster draws plain text without -Plain; with the default (Host) it draws in colour in the terminal.')
            }
            @{
                Title   = 'Save pictures to a text file'
                Steps   = @(
                    'Select-Cluster ./samples -Plane V -MinCharge 3000 | Show-Cluster -Plain | Set-Content ./bright_v.txt'
                    'Select-String -Path ./bright_v.txt -Pattern ''^clusters_'' | ForEach-Object Line'
                )
                Setup   = @('Remove-Item ./bright_v.txt -ErrorAction SilentlyContinue')
                Remarks = @('Each picture is one string, so it can be written to a file like any other output. The second command lists the title line of each picture in the file.')
            }
        )
        Links       = Get-Links 'Show-Cluster'
    }
    #endregion
    #region Export-ClusterImage
    @{
        Name        = 'Export-ClusterImage'
        Synopsis    = 'Writes cluster images as PNG heat maps.'
        Description = @(
            'The Export-ClusterImage cmdlet writes the image of each cluster piped to it as a PNG file: a viridis heat map with channels across and time ticks up (tick 0 at the bottom), each image pixel drawn as a -Scale x -Scale block. The colours run from dark purple (zero, or the most negative pixel) to yellow (the brightest pixel of that image); each image is scaled on its own.'
            '-Path is a folder or a file name pattern. In a folder, each file is named after the batch file and the cluster index, for example clusters_planeX_batch0000_17.png. A pattern may hold the tokens {Batch}, {Index} and {Plane}, for example ./png/{Plane}/{Batch}-{Index}.png; folders are created as needed.'
            'With -ColorBar a colour bar with the minimum and maximum values is added on the right; with -Label, a title with the cluster''s metadata and the tick and channel axes are added.'
            'Each file is written to a temporary name in its folder and renamed into place when it is complete, so a failure or Ctrl+C never leaves a partial PNG. Existing files are not overwritten unless you use -Force. The command supports -WhatIf and -Confirm.'
        )
        Parameters  = [ordered]@{
            Path        = @{ Description = @(
                    'Specifies where to write the images: a folder, or a file name pattern.'
                    'A folder (created if missing) receives one file per cluster named <batch file name without .npz>_<index>.png. A pattern may contain {Batch} (the batch file name without .npz), {Index} (the cluster''s row in its batch, from 0) and {Plane} (U, V or X); every cluster must get its own file name, otherwise the second cluster that maps to a name gets an ImageFileNameNotUnique error. A path that ends in .png and is not an existing folder is a pattern too: without tokens it names one file, for one cluster.'
                    'Relative paths follow the current PowerShell location. Wildcards are not interpreted. The path must be on the file system.'
                ) }
            LiteralPath = @{ Description = @(
                    'Specifies the folder or file pattern exactly as written: no character is treated as a wildcard. The {Batch}, {Index} and {Plane} tokens still work. Otherwise as -Path.'
                ) }
            InputObject = @{ Description = @(
                    'Specifies the clusters to draw, usually piped from Select-Cluster. A cluster from a file that holds metadata only gives a ClusterHasNoImage error; a cluster whose image cannot be read gives the ClusterPS.<Code> error of its file.'
                ) }
            Scale       = @{ Default = '4'; Description = @(
                    'Specifies how many PNG pixels each image pixel becomes, across and up: from 1 to 64. The default is 4, which draws a 128 x 16 image as 64 pixels wide and 512 pixels high, before any colour bar or labels.'
                ) }
            ColorBar    = @{ Description = @(
                    'Adds a vertical viridis colour bar on the right of the image, marked with the maximum pixel value at the top and the minimum at the bottom.'
                ) }
            Label       = @{ Description = @(
                    'Adds a title above the image (the batch file and cluster index, then the plane, flags, interaction, energies and charge), a tick axis on the left and a channel axis below.'
                ) }
            Force       = @{ Description = @(
                    'Overwrites files that already exist. Without -Force, a cluster whose file exists is skipped with an ImageFileExists error and the other clusters are still written.'
                ) }
            PassThru    = @{ Description = @(
                    'Returns a FileInfo object, as Get-Item does, for each file written. By default this cmdlet returns no output.'
                ) }
            WhatIf      = @{ Description = @(
                    'Shows which files would be written, and for which clusters, without writing anything.'
                ) }
            Confirm     = @{ Description = @(
                    'Asks for confirmation before writing each file.'
                ) }
        }
        Inputs      = @(
            @{ Type = 'ClusterPS.Cluster'; Description = 'Clusters from Select-Cluster.' }
        )
        Outputs     = @(
            @{ Type = 'None'; Description = 'By default, this cmdlet returns no output.' }
            @{ Type = 'System.IO.FileInfo'; Description = 'With -PassThru, one object for each file written.' }
        )
        Notes       = @(
            'Without -ColorBar and -Label the PNG is exactly channels x Scale pixels wide and ticks x Scale pixels high, one block per image pixel, which suits further processing. The colour bar adds width only; labels add margins on every side.'
            'Errors: ClusterHasNoImage, ImageFileNameNotUnique, ImageFileExists, ImagePathIsFolder and ImageWriteFailed are non-terminating and skip one cluster; NotFileSystemPath stops the command.'
        )
        Examples    = @(
            @{
                Title   = 'Write images into a folder'
                Steps   = @('Select-Cluster ./samples -Marley -MainTrack -Plane X | Select-Object -First 3 | Export-ClusterImage ./png -PassThru | Select-Object Name, Length')
                Setup   = @('Remove-Item ./png -Recurse -ErrorAction SilentlyContinue')
                Remarks = @('Writes the first three Marley main tracks of plane X into the folder png, which is created. Each file is named after its batch file and cluster index. The images are 64 x 512 pixels (scale 4).')
            }
            @{
                Title   = 'Labelled images with a colour bar, sorted into folders by plane'
                Steps   = @(
                    'Select-Cluster ./samples -MinCharge 4500 | Export-ClusterImage ''./bright/{Plane}/{Batch}-{Index}.png'' -Scale 6 -ColorBar -Label -PassThru | Select-Object FullName, Length'
                )
                Setup   = @('Remove-Item ./bright -Recurse -ErrorAction SilentlyContinue')
                Remarks = @('The tokens in the pattern give each cluster its own file in a folder per plane; the folders are created as needed. -Label adds the title and axes, -ColorBar the colour scale.')
            }
            @{
                Title   = 'Preview with -WhatIf'
                Steps   = @('Select-Cluster ./samples -Plane U -MinCharge 3500 | Export-ClusterImage ./png -WhatIf')
                Remarks = @('Shows the files that would be written. Nothing is written.')
            }
            @{
                Title   = 'Existing files are kept unless you use -Force'
                Steps   = @(
                    'Select-Cluster ./samples/clusters_planeU_batch0000.npz | Select-Object -First 1 | Export-ClusterImage ./u0.png'
                    'Select-Cluster ./samples/clusters_planeU_batch0000.npz | Select-Object -First 1 | Export-ClusterImage ./u0.png'
                    'Select-Cluster ./samples/clusters_planeU_batch0000.npz | Select-Object -First 1 | Export-ClusterImage ./u0.png -Scale 8 -Force -PassThru | Select-Object Name, Length'
                )
                Setup   = @('Remove-Item ./u0.png -ErrorAction SilentlyContinue')
                Remarks = @('A path ending in .png names a single file. The second run refuses to overwrite it; with -Force it is replaced, here by a larger drawing (scale 8).')
            }
        )
        Links       = Get-Links 'Export-ClusterImage'
    }
    #endregion
)
