#
# Module manifest for ClusterPS.
#
# build.ps1 reads ModuleVersion from here to name the output folder
# out/ClusterPS/<ModuleVersion>/, which is exactly what gets published.
#
@{
    RootModule           = 'ClusterPS.dll'
    ModuleVersion        = '0.2.3'
    GUID                 = '8c67f49e-1678-4101-a892-3cbd198043c0'
    Author               = 'ClusterPS contributors'
    CompanyName          = 'ClusterPS contributors'
    Copyright            = '(c) 2026 ClusterPS contributors. Licensed under the MIT License.'
    Description          = 'Read, filter, summarise and write batched NumPy .npz cluster datasets from neutrino-detector simulations in the PowerShell pipeline. Get-ClusterBatch describes batch files, Select-Cluster streams clusters with decoded metadata and lazily loaded images through metadata and charge filters, and Get-ClusterStatistics prints the reference dataset statistics as a mergeable object. Pure managed code: no Python or NumPy needed.'
    # Only what has been tested (README, "What was tested where"): PowerShell 7 on Linux. 7.4 is
    # the first PowerShell on .NET 8, which the dependency loader (ClusterPS.LoadContext) targets.
    # The code keeps its Windows PowerShell path (netstandard2.0, bin/ resolution), untested.
    CompatiblePSEditions = @('Core')
    PowerShellVersion    = '7.4'

    TypesToProcess       = @('ClusterPS.Types.ps1xml')
    FormatsToProcess     = @('ClusterPS.Format.ps1xml')

    # Export explicitly: never use wildcards, so discovery stays fast and the public
    # surface is exactly what is listed here.
    CmdletsToExport      = @(
        'Get-ClusterBatch'
        'Select-Cluster'
        'Get-ClusterStatistics'
        'Export-ClusterBatch'
        'Test-ClusterDataset'
        'Show-Cluster'
        'Export-ClusterImage'
        'Get-ClusterHistogram'
        'Export-ClusterReport'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()

    PrivateData          = @{
        PSData = @{
            Tags         = @(
                'NumPy', 'npz', 'neutrino', 'physics', 'dataset',
                'PSEdition_Core', 'Linux'
            )
            ProjectUri   = 'https://github.com/clusterps/ClusterPS'
            LicenseUri   = 'https://github.com/clusterps/ClusterPS/blob/main/LICENSE'
            ReleaseNotes = 'See CHANGELOG.md'
        }
    }
}
