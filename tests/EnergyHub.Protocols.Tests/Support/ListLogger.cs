using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Protocols.Tests.Support;

/// <summary>A logger that keeps every line with its level, and signals each new one.</summary>
public sealed class ListLogger : ILogger
{
    private readonly ConcurrentQueue<(LogLevel Level, string Text)> _lines = new();
    private readonly SemaphoreSlim _added = new(0);

    public IReadOnlyList<(LogLevel Level, string Text)> Lines => [.. _lines];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        _lines.Enqueue((logLevel, formatter(state, exception)));
        _added.Release();
    }

    /// <summary>Waits until <paramref name="condition"/> holds for the lines so far.</summary>
    public async Task Until(Func<IReadOnlyList<(LogLevel Level, string Text)>, bool> condition, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (!condition(Lines))
        {
            await _added.WaitAsync(cts.Token);
        }
    }
}
