using System.Runtime.InteropServices;

namespace EnergyHub.Core.Hosting;

/// <summary>
/// The process's own umask, 0077: every file and folder EnergyHub creates (the DataDir, the journal and its -wal and
/// -shm, settings.json, the price caches, the kept service state) is its owner's alone, whatever umask the shell or the
/// service manager that started it had. Files meant for a group (the logs, 640) set their mode themselves.
/// </summary>
public static class PrivateUmask
{
    /// <summary>The mask: no access for the group or others on anything created.</summary>
    public const uint Mask = 0b000_111_111; // 0077

    /// <summary>Sets the umask on Linux and macOS (Windows has none); returns the one before, or null where there is none.</summary>
    public static uint? Apply() => OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() ? umask(Mask) : null;

    [DllImport("libc", SetLastError = false)]
    private static extern uint umask(uint mask);
}
