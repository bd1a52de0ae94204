using System.Text;
using Serilog.Sinks.File;

namespace EnergyHub.Core.Logging;

/// <summary>
/// Log files are readable by their owner and group only (640): they name devices, addresses and errors from cloud APIs.
/// Applied to each file as the sink opens it, including files left by earlier versions.
/// </summary>
public sealed class PrivateLogFiles : FileLifecycleHooks
{
    /// <summary>rw-r-----.</summary>
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;

    /// <inheritdoc />
    public override Stream OnFileOpened(string path, Stream underlyingStream, Encoding encoding)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, Mode);
        }
        return underlyingStream;
    }
}
