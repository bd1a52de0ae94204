using NUnit.Framework;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EnergyHub.TestSupport;

/// <summary>An independent program the tests talk to (pymodbus, mbpoll, mosquitto, socat), killed on dispose.</summary>
public sealed class Peer : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private Peer(string program, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        _process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int Pid => _process.Id;

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts <paramref name="program"/>; fails the test (not errors it) with a hint when it is not installed.</summary>
    public static Peer Start(string program, params string[] args)
    {
        Require(program);
        return new Peer(program, args);
    }

    /// <summary>Runs <paramref name="program"/> to completion and returns its exit code and output.</summary>
    public static async Task<(int Code, string Output)> Run(string program, params string[] args)
    {
        using var peer = Start(program, args);
        Assert.That(await peer.WaitForExit(TimeSpan.FromSeconds(30)), Is.True, $"{program} did not finish:\n{peer.Output}");
        return (peer._process.ExitCode, peer.Output);
    }

    /// <summary>Waits until the program has exited and all of its output has been read; false on timeout.</summary>
    public async Task<bool> WaitForExit(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        _process.WaitForExit(); // drains the redirected output
        return true;
    }

    public async Task WaitFor(string text, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline || _process.HasExited)
            {
                Assert.Fail($"{_process.StartInfo.FileName} did not print '{text}'. Output:\n{Output}");
            }
            await Task.Delay(20);
        }
    }

    public static void Require(string program)
    {
        if (!File.Exists(program) && !Environment.GetEnvironmentVariable("PATH")!.Split(':').Any(d => File.Exists(Path.Combine(d, program))))
        {
            Assert.Fail($"{program} is not installed; .ci/run installs it (apt-get install mosquitto mosquitto-clients python3-pymodbus python3-serial python3-serial-asyncio mbpoll socat).");
        }
    }

    /// <summary>Sends SIGKILL, as a crash or power cut would.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process.Dispose();
    }

    /// <summary>A TCP port on 127.0.0.1 that was free a moment ago.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string Script(string name) => Path.Combine(AppContext.BaseDirectory, "Peers", name);

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
