# A private OpenSSH server on 127.0.0.1 for the SSH remoting tests. Dot-source it:
#
#     BeforeAll {
#         . (Join-Path $PSScriptRoot 'common.ps1')
#         . (Join-Path $PSScriptRoot 'SshServer.ps1')
#         $server = Start-TestSshServer
#         $remote = $server.Connection      # splat into Invoke-Command / New-PSSession
#     }
#     AfterAll {
#         Stop-TestSshServer $server
#     }
#
#     Invoke-Command @remote { $PSVersionTable.PSVersion }
#
# Everything lives in one temporary folder: host key, client key, authorized_keys,
# known_hosts, sshd_config, the pid file, sshd's log and the wrapper that starts the
# PowerShell subsystem. Nothing touches ~/.ssh, /etc/ssh or port 22. sshd runs in the
# foreground (-D) under timeout(1), as a child of the test process, and is stopped by its
# process id (with everything it started).
#
# Needs /usr/sbin/sshd and ssh-keygen (Debian: openssh-server, openssh-client; .ci/run
# installs them) and, for sshd's privilege separation, /run/sshd (created here as root).

function Get-TestSshFreePort {
    # A TCP port on 127.0.0.1 that nothing listens on right now.
    $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
    try {
        $listener.Start()
        ([Net.IPEndPoint] $listener.LocalEndpoint).Port
    }
    finally {
        $listener.Stop()
    }
}

function ConvertTo-TestShLiteral {
    # Quotes a string for /bin/sh.
    param([Parameter(Mandatory)][AllowEmptyString()][string] $Value)
    "'" + $Value.Replace("'", "'\''") + "'"
}

function Test-TestSshPort {
    # $true when something accepts TCP connections on 127.0.0.1:$Port.
    param([int] $Port)
    $client = [Net.Sockets.TcpClient]::new()
    try {
        $client.ConnectAsync([Net.IPAddress]::Loopback, $Port).Wait(500) -and $client.Connected
    }
    catch {
        $false
    }
    finally {
        $client.Dispose()
    }
}

function Get-TestSshProcessId {
    # Process ids whose command line mentions $Text (the server's unique folder): timeout(1) and
    # the sshd listener (its -f config path) and the remote PowerShell processes
    # (-WorkingDirectory). Reads /proc itself: a fresh machine may have no pgrep (procps).
    param([Parameter(Mandatory)][string] $Text)
    foreach ($entry in [IO.Directory]::EnumerateDirectories('/proc')) {
        $name = [IO.Path]::GetFileName($entry)
        if ($name -notmatch '^\d+$' -or [int] $name -eq $PID) {
            continue
        }
        try {
            $commandLine = [IO.File]::ReadAllText("$entry/cmdline").Replace([char] 0, ' ')
        }
        catch {
            continue  # The process ended meanwhile, or is not ours to read.
        }
        if ($commandLine.Contains($Text)) {
            [int] $name
        }
    }
}

function Start-TestSshServer {
    <#
    .SYNOPSIS
        Starts a private sshd whose 'powershell' subsystem is the PowerShell running the tests.
    .OUTPUTS
        An object with Directory, Port, UserName, KeyFilePath, KnownHostsPath, ConfigPath,
        LogPath, Process, and Connection: a hashtable to splat into Invoke-Command,
        New-PSSession or Enter-PSSession (HostName, Port, UserName, KeyFilePath, SSHTransport,
        Options, ConnectingTimeout).
    #>
    [CmdletBinding()]
    param(
        # How long to wait for sshd to accept connections.
        [int] $StartTimeoutSeconds = 20,

        # sshd runs under timeout(1) and ends by itself after this long, so that a test process
        # killed before its AfterAll cannot leave it listening for good.
        [int] $MaxLifetimeSeconds = 1800
    )

    $sshd = '/usr/sbin/sshd'
    foreach ($tool in $sshd, '/usr/bin/ssh-keygen', '/usr/bin/ssh', '/usr/bin/timeout') {
        if (-not (Test-Path -LiteralPath $tool -PathType Leaf)) {
            throw "The SSH remoting tests need $tool (Debian: 'apt-get install openssh-server openssh-client'; .ci/run installs them)."
        }
    }

    # sshd refuses to start without its privilege-separation directory.
    if (-not (Test-Path -LiteralPath '/run/sshd' -PathType Container)) {
        if ((& id -u) -ne '0') {
            throw 'sshd needs its privilege-separation directory /run/sshd; create it as root (mkdir -m 755 /run/sshd) or run the tests as root, as CI does.'
        }
        $null = New-Item -ItemType Directory -Path '/run/sshd' -Force
        & chmod 0755 /run/sshd
    }

    $dir = Join-Path ([IO.Path]::GetTempPath()) ('ClusterPS-sshd-' + [Guid]::NewGuid().ToString('N').Substring(0, 12))
    if ($dir -match '\s') {
        throw "The temporary folder '$dir' has white space, which sshd_config cannot take unquoted."
    }
    $null = New-Item -ItemType Directory -Path $dir
    & chmod 0700 $dir

    $hostKey = Join-Path $dir 'ssh_host_ed25519_key'
    $clientKey = Join-Path $dir 'client_ed25519'
    $authorizedKeys = Join-Path $dir 'authorized_keys'
    $knownHosts = Join-Path $dir 'known_hosts'
    $config = Join-Path $dir 'sshd_config'
    $pidFile = Join-Path $dir 'sshd.pid'
    $log = Join-Path $dir 'sshd.log'
    $subsystem = Join-Path $dir 'pwsh-sshs.sh'

    foreach ($key in $hostKey, $clientKey) {
        & /usr/bin/ssh-keygen -q -N '' -t ed25519 -C 'ClusterPS tests' -f $key
        if ($LASTEXITCODE -ne 0) {
            throw "ssh-keygen failed with exit code $LASTEXITCODE for $key."
        }
    }
    Copy-Item -LiteralPath "$clientKey.pub" -Destination $authorizedKeys
    & chmod 0600 $authorizedKeys

    # The subsystem: the PowerShell that runs the tests, as a server (-sshs). Under
    # 'dotnet pwsh' (the pinned .NET tool) that is the dotnet host running pwsh.dll from
    # $PSHOME. sshd runs the Subsystem command through the user's shell with a minimal
    # environment, so the wrapper sets what the .NET host and PowerShell need.
    # -WorkingDirectory puts this server's folder into the remote processes' command
    # lines, so that the leftover check can find them.
    $processPath = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($processPath) -eq 'dotnet') {
        $command = @($processPath, (Join-Path $PSHOME 'pwsh.dll'))
        $dotnetRoot = $env:DOTNET_ROOT ? $env:DOTNET_ROOT : (Split-Path -Parent $processPath)
    }
    else {
        $command = @((Join-Path $PSHOME 'pwsh'))
        $dotnetRoot = $env:DOTNET_ROOT
    }
    $command += '-sshs', '-NoLogo', '-NoProfile', '-WorkingDirectory', $dir
    $wrapper = @(
        '#!/bin/sh'
        '# Started by sshd for the powershell subsystem (ClusterPS tests).'
        "export HOME=$(ConvertTo-TestShLiteral ([Environment]::GetFolderPath('UserProfile')))"
        "export PATH=$(ConvertTo-TestShLiteral $env:PATH)"
        if ($dotnetRoot) { "export DOTNET_ROOT=$(ConvertTo-TestShLiteral $dotnetRoot)" }
        'export POWERSHELL_TELEMETRY_OPTOUT=1 POWERSHELL_UPDATECHECK=Off DOTNET_CLI_TELEMETRY_OPTOUT=1'
        'exec ' + (($command | ForEach-Object { ConvertTo-TestShLiteral $_ }) -join ' ')
    )
    Set-Content -LiteralPath $subsystem -Value $wrapper -Encoding ascii
    & chmod 0755 $subsystem

    $userName = [Environment]::UserName
    $process = $null
    $port = 0
    # A free port can be taken between the probe and sshd's bind: try a few.
    foreach ($attempt in 1..3) {
        $port = Get-TestSshFreePort
        @(
            "Port $port"
            'ListenAddress 127.0.0.1'
            "HostKey $hostKey"
            "PidFile $pidFile"
            "AuthorizedKeysFile $authorizedKeys"
            'PubkeyAuthentication yes'
            'PasswordAuthentication no'
            'KbdInteractiveAuthentication no'
            'UsePAM no'
            'StrictModes no'
            'PermitRootLogin prohibit-password'
            "AllowUsers $userName"
            'X11Forwarding no'
            'PrintMotd no'
            'LogLevel VERBOSE'
            "Subsystem powershell $subsystem"
        ) | Set-Content -LiteralPath $config -Encoding ascii

        # sshd needs its absolute path in argv[0] to re-execute itself for each connection.
        $process = Start-Process -FilePath '/usr/bin/timeout' -ArgumentList $MaxLifetimeSeconds, $sshd, '-D', '-e', '-f', $config -PassThru `
            -RedirectStandardError $log -RedirectStandardOutput (Join-Path $dir 'sshd.out')
        $deadline = [DateTime]::UtcNow.AddSeconds($StartTimeoutSeconds)
        while (-not $process.HasExited -and -not (Test-TestSshPort $port) -and [DateTime]::UtcNow -lt $deadline) {
            Start-Sleep -Milliseconds 100
        }
        if (-not $process.HasExited -and (Test-TestSshPort $port)) {
            break
        }
        $text = Get-Content -LiteralPath $log -Raw -ErrorAction Ignore
        if (-not $process.HasExited) {
            $process.Kill($true)
            $null = $process.WaitForExit(5000)
        }
        $process = $null
        if ($text -notmatch 'Address already in use') {
            Remove-Item -LiteralPath $dir -Recurse -Force -ErrorAction Ignore
            throw "sshd did not accept connections on 127.0.0.1:$port within $StartTimeoutSeconds s. Its log:`n$text"
        }
    }
    if (-not $process) {
        Remove-Item -LiteralPath $dir -Recurse -Force -ErrorAction Ignore
        throw 'sshd found no free port in 3 attempts.'
    }

    [pscustomobject]@{
        Directory      = $dir
        Port           = $port
        UserName       = $userName
        KeyFilePath    = $clientKey
        KnownHostsPath = $knownHosts
        ConfigPath     = $config
        LogPath        = $log
        Process        = $process
        Connection     = @{
            HostName          = '127.0.0.1'
            Port              = $port
            UserName          = $userName
            KeyFilePath       = $clientKey
            SSHTransport      = $true
            # Passed to ssh as -o options: a known_hosts of our own, never a prompt.
            Options           = @{
                StrictHostKeyChecking = 'no'
                UserKnownHostsFile    = $knownHosts
                GlobalKnownHostsFile  = '/dev/null'
                IdentitiesOnly        = 'yes'
                BatchMode             = 'yes'
                ConnectTimeout        = '20'
                LogLevel              = 'ERROR'
            }
            ConnectingTimeout = 60000
        }
    }
}

function Stop-TestSshServer {
    <#
    .SYNOPSIS
        Stops the sshd started by Start-TestSshServer (and whatever it started), by process
        id, and removes its folder. Safe to call twice or with $null.
    #>
    [CmdletBinding()]
    param([Parameter(Position = 0)] $Server)

    if (-not $Server) {
        return
    }
    $process = $Server.Process
    if ($process -and -not $process.HasExited) {
        # The whole tree: timeout(1), the listener, its per-connection sshd processes and
        # their PowerShell subsystems.
        $process.Kill($true)
        $null = $process.WaitForExit(10000)
    }
    # Remote PowerShell processes that outlived their sshd (reparented): they carry this
    # server's folder in their command line (see -WorkingDirectory above).
    foreach ($id in Get-TestSshProcessId $Server.Directory) {
        try {
            $leftover = [Diagnostics.Process]::GetProcessById($id)
            $leftover.Kill($true)
            $null = $leftover.WaitForExit(5000)
        }
        catch [ArgumentException] {
            # Already gone.
        }
    }
    if (Test-Path -LiteralPath $Server.Directory) {
        Remove-Item -LiteralPath $Server.Directory -Recurse -Force -ErrorAction Ignore
    }
}
