# The help that ships with the module: module/en-US/ClusterPS.dll-Help.xml (MAML, read by
# Get-Help for the cmdlets) and module/en-US/about_ClusterPS.help.txt.

BeforeDiscovery {
    # Discovery runs before BeforeAll: import the module here too, to enumerate its cmdlets.
    . (Join-Path $PSScriptRoot 'common.ps1')
    $cmdletNames = @((Get-Module -Name ClusterPS).ExportedCmdlets.Keys | Sort-Object)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')

    $moduleBase = (Get-Module -Name ClusterPS).ModuleBase
    $mamlPath = Join-Path $moduleBase 'en-US' 'ClusterPS.dll-Help.xml'
    $aboutPath = Join-Path $moduleBase 'en-US' 'about_ClusterPS.help.txt'

    # Common parameters are described by about_CommonParameters. -WhatIf and -Confirm are not
    # excluded: a cmdlet that supports them documents them.
    $commonParameters = [System.Management.Automation.Cmdlet]::CommonParameters

    function Get-HelpText {
        # The text of a help property (description, remarks): its paragraphs joined.
        param($Value)
        (@($Value | Where-Object { $null -ne $_ } | ForEach-Object { if ($_.PSObject.Properties['Text']) { $_.Text } else { "$_" } }) -join "`n").Trim()
    }
}

Describe 'The MAML help file' {
    It 'exists in the built module''s en-US folder' {
        $mamlPath | Should -Exist
    }

    It 'is valid XML with a helpItems root in the MAML schema' {
        $xml = [xml]::new()
        { $xml.Load($mamlPath) } | Should -Not -Throw
        $xml.DocumentElement.LocalName | Should -Be 'helpItems'
        $xml.DocumentElement.GetAttribute('schema') | Should -Be 'maml'
    }

    It 'documents exactly the exported cmdlets' {
        $xml = [xml]::new()
        $xml.Load($mamlPath)
        $ns = [System.Xml.XmlNamespaceManager]::new($xml.NameTable)
        $ns.AddNamespace('command', 'http://schemas.microsoft.com/maml/dev/command/2004/10')
        $documented = @($xml.SelectNodes('//command:command/command:details/command:name', $ns) | ForEach-Object { $_.InnerText.Trim() })
        @($documented | Sort-Object) | Should -Be @((Get-Module -Name ClusterPS).ExportedCmdlets.Keys | Sort-Object)
    }
}

Describe 'Get-Help <_>' -ForEach $cmdletNames {
    BeforeAll {
        $name = $_
        $command = Get-Command -Name $name -CommandType Cmdlet
        $help = Get-Help -Name $name -Full
        $parameterNames = @($command.Parameters.Keys | Where-Object { $_ -notin $commonParameters })
    }

    It 'has a synopsis that is not the generated syntax' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        # Without MAML help, Get-Help puts the command's syntax in the synopsis.
        $help.Synopsis.Trim() | Should -Not -BeLike "$name *"
        $help.Synopsis.Trim() | Should -Not -Match '\[<CommonParameters>\]'
    }

    It 'has a description' {
        Get-HelpText $help.description | Should -Not -BeNullOrEmpty
    }

    It 'has at least two examples, each with code and remarks' {
        $examples = @($help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($example in $examples) {
            "$($example.code)".Trim() | Should -Not -BeNullOrEmpty -Because "every example of $name shows code ($($example.title))"
            Get-HelpText $example.remarks | Should -Not -BeNullOrEmpty -Because "every example of $name explains itself ($($example.title))"
        }
    }

    It 'describes every parameter' {
        foreach ($parameter in $parameterNames) {
            $parameterHelp = Get-Help -Name $name -Parameter $parameter -ErrorAction SilentlyContinue
            $parameterHelp | Should -Not -BeNullOrEmpty -Because "-$parameter of $name is in the help"
            Get-HelpText $parameterHelp.description | Should -Not -BeNullOrEmpty -Because "-$parameter of $name has a description"
        }
    }

    It 'documents no parameter the command does not have' {
        $documented = @($help.parameters.parameter | ForEach-Object { $_.name })
        foreach ($parameter in $documented) {
            $parameter | Should -BeIn $parameterNames -Because "the help of $name must not describe a parameter that does not exist"
        }
    }

    It 'has one syntax block per parameter set' {
        @($help.syntax.syntaxItem).Count | Should -Be @($command.ParameterSets).Count
    }

    It 'links to about_ClusterPS' {
        @($help.relatedLinks.navigationLink.linkText) | Should -Contain 'about_ClusterPS'
    }
}

Describe 'about_ClusterPS' {
    It 'exists in the built module''s en-US folder' {
        $aboutPath | Should -Exist
    }

    It 'is returned by Get-Help about_ClusterPS' {
        $topic = Get-Help -Name about_ClusterPS -ErrorAction Stop | Out-String
        $topic | Should -Match 'about_ClusterPS'
        $topic | Should -Match 'SHORT DESCRIPTION'
        $topic | Should -Match 'LONG DESCRIPTION'
    }

    It 'has no line longer than 80 columns' {
        $long = @(Get-Content -LiteralPath $aboutPath | Where-Object { $_.Length -gt 80 })
        $long | Should -BeNullOrEmpty
    }

    It 'lists every ClusterPS.* error id' {
        $text = Get-Content -LiteralPath $aboutPath -Raw
        foreach ($code in [Enum]::GetNames([ClusterPS.Npz.NpzErrorCode])) {
            $text | Should -Match "ClusterPS\.$code\b" -Because "about_ClusterPS explains the error id ClusterPS.$code"
        }
    }

    It 'mentions every exported cmdlet' {
        $text = Get-Content -LiteralPath $aboutPath -Raw
        foreach ($name in (Get-Module -Name ClusterPS).ExportedCmdlets.Keys) {
            $text | Should -Match ([regex]::Escape($name))
        }
    }
}
