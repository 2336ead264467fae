BeforeDiscovery {
    # The test cases come from the built manifest itself (see tests/common.ps1 for the path).
    $script:ManifestCmdlets = @((Import-PowerShellDataFile -LiteralPath $env:CLUSTERPS_MODULE_PATH).CmdletsToExport)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')

    $manifestPath = Get-ModuleManifestPath
    $manifest = Import-PowerShellDataFile -LiteralPath $manifestPath
    $module = Get-Module -Name ClusterPS
}

Describe 'The ClusterPS module' {
    It 'is imported from the built manifest' {
        $module | Should -Not -BeNullOrEmpty
        $module.ModuleBase | Should -Be (Split-Path -Parent $manifestPath)
        $module.Version | Should -Be ([version] $manifest.ModuleVersion)
    }

    It 'has a manifest that passes Test-ModuleManifest' {
        { Test-ModuleManifest -Path $manifestPath -ErrorAction Stop } | Should -Not -Throw
    }

    # One test per cmdlet the manifest lists, read at discovery, so a new cmdlet is covered as soon as it is listed.
    It 'exports the <_> cmdlet' -ForEach $script:ManifestCmdlets {
        $module.ExportedCmdlets.Keys | Should -Contain $_
        Get-Command -Name $_ -Module ClusterPS -CommandType Cmdlet -ErrorAction Stop | Should -Not -BeNullOrEmpty
    }

    It 'lists every cmdlet class of the module in CmdletsToExport' {
        # The other direction: a cmdlet compiled into ClusterPS.dll but missing from the manifest.
        $compiled = $module.ImplementingAssembly.GetTypes() |
            ForEach-Object { $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) } |
            ForEach-Object { "$($_.VerbName)-$($_.NounName)" }
        @($compiled | Sort-Object) | Should -Be @($manifest.CmdletsToExport | Sort-Object)
    }

    It 'exports exactly the cmdlets named in CmdletsToExport' {
        $manifest.CmdletsToExport | Should -Not -Contain '*'
        @($module.ExportedCmdlets.Keys | Sort-Object) | Should -Be @($manifest.CmdletsToExport | Sort-Object)
    }

    It 'exports no functions' {
        $manifest.FunctionsToExport | Should -BeNullOrEmpty
        $module.ExportedFunctions.Keys | Should -BeNullOrEmpty
    }

    It 'exports no aliases' {
        $manifest.AliasesToExport | Should -BeNullOrEmpty
        $module.ExportedAliases.Keys | Should -BeNullOrEmpty
    }
}
