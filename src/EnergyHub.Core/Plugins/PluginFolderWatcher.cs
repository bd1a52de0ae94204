namespace EnergyHub.Core.Plugins;

/// <summary>
/// Notices a plugin folder dropped in, replaced or removed under the plugin directories, by polling a fingerprint of
/// every file in them (path, size, time written). A change is reported once the folders have been still for one more
/// poll, so a plugin half copied is never loaded.
/// </summary>
public sealed class PluginFolderWatcher(IReadOnlyList<string> directories, TimeProvider time, TimeSpan interval)
{
    private string _baseline = Fingerprint(directories);

    /// <summary>Waits until the plugin folders have changed and settled; returns the plugin folders that differ.</summary>
    public async Task<IReadOnlyList<string>> WaitForChangeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await Task.Delay(interval, time, cancellationToken).ConfigureAwait(false);
            var now = Fingerprint(directories);
            if (now == _baseline)
            {
                continue;
            }
            // Settle: the same fingerprint one poll later means the copy is complete.
            string settled;
            do
            {
                settled = now;
                await Task.Delay(interval, time, cancellationToken).ConfigureAwait(false);
                now = Fingerprint(directories);
            }
            while (now != settled);
            var changed = ChangedFolders(_baseline, now);
            _baseline = now;
            return changed;
        }
    }

    private static IReadOnlyList<string> ChangedFolders(string before, string after)
    {
        static Dictionary<string, string> ByFolder(string fingerprint) => fingerprint.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t'))
            .GroupBy(parts => parts[0], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => string.Join('\n', g.Select(p => string.Join('\t', p))), StringComparer.Ordinal);
        var (old, now) = (ByFolder(before), ByFolder(after));
        return [.. old.Keys.Union(now.Keys).Where(f => !old.TryGetValue(f, out var a) || !now.TryGetValue(f, out var b) || a != b).Order(StringComparer.Ordinal)];
    }

    // One line per file: plugin folder, relative path, size, ticks written.
    private static string Fingerprint(IEnumerable<string> directories)
    {
        var lines = new List<string>();
        foreach (var directory in directories.Where(Directory.Exists))
        {
            foreach (var folder in SafeList(() => Directory.GetDirectories(directory)))
            {
                foreach (var file in SafeList(() => Directory.GetFiles(folder, "*", SearchOption.AllDirectories)))
                {
                    try
                    {
                        var info = new FileInfo(file);
                        lines.Add($"{folder}\t{Path.GetRelativePath(folder, file)}\t{info.Length}\t{info.LastWriteTimeUtc.Ticks}");
                    }
                    catch (IOException)
                    {
                        // Removed while listing: the next poll sees it gone.
                    }
                }
            }
        }
        lines.Sort(StringComparer.Ordinal);
        return string.Join('\n', lines);
    }

    private static string[] SafeList(Func<string[]> list)
    {
        try
        {
            return list();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
