using System.Diagnostics;
using System.Text;
using NUnit.Framework;

namespace EnergyHub.TestSupport;

/// <summary>
/// Runs the energyhub built beside the test assembly (whose project references src/EnergyHub and drops the plugins) as a
/// separate process, as a user would.
/// </summary>
public sealed class EnergyHubCli : IDisposable
{
    public static readonly string RepoRoot = FindRepoRoot();
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "energyhub.dll");

    private readonly Process _process;
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _err = new();

    private EnergyHubCli(IEnumerable<string> args, string? workingDirectory, IDictionary<string, string>? environment)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? RepoRoot,
        };
        info.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment.Remove("ENERGYHUB_CONFIG");
        info.Environment["NO_COLOR"] = "1";
        info.Environment["COLUMNS"] = "240"; // as wide as piped output without COLUMNS: a table row stays on one line
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => Append(_out, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_err, e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Out
    {
        get
        {
            lock (_out)
            {
                return _out.ToString();
            }
        }
    }

    public string Err
    {
        get
        {
            lock (_err)
            {
                return _err.ToString();
            }
        }
    }

    public int Pid => _process.Id;

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    public static EnergyHubCli Start(IEnumerable<string> args, string? workingDirectory = null, IDictionary<string, string>? environment = null) =>
        new(args, workingDirectory, environment);

    /// <summary>Runs to completion (at most a minute) and returns the exit code.</summary>
    public static Task<(int Code, string Out, string Err)> Run(params string[] args) => Run(args, null);

    /// <summary>Runs to completion (at most a minute) with extra environment variables and returns the exit code.</summary>
    public static async Task<(int Code, string Out, string Err)> Run(string[] args, IDictionary<string, string>? environment)
    {
        using var cli = Start(args, environment: environment);
        var code = await cli.WaitForExit(TimeSpan.FromMinutes(1));
        return (code, cli.Out, cli.Err);
    }

    public async Task<int> WaitForExit(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public async Task WaitForOutput(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Out.Contains(text, StringComparison.Ordinal) && !Err.Contains(text, StringComparison.Ordinal)) // errors are logged to stderr
        {
            if (DateTime.UtcNow > deadline || _process.HasExited)
            {
                Assert.Fail($"'{text}' did not appear. Output:\n{Out}\nErrors:\n{Err}");
            }
            await Task.Delay(50);
        }
    }

    /// <summary>Sends SIGINT, as Ctrl-C in a terminal does.</summary>
    /// <summary>Kills the process at once (SIGKILL): nothing of it runs any more, as after a crash or kill -9.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public void Interrupt() => Process.Start("kill", ["-INT", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }

    private static void Append(StringBuilder target, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (target)
        {
            target.AppendLine(line);
        }
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EnergyHub.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("EnergyHub.sln not found above the test's folder.");
    }
}
