using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace EnergyHub.TestSupport;

/// <summary>A logger that keeps every line with its level, and signals each new one.</summary>
public class ListLogger : ILogger
{
    private readonly ConcurrentQueue<(LogLevel Level, string Text)> _lines = new();
    private readonly SemaphoreSlim _added = new(0);

    /// <summary>Every line so far, in order.</summary>
    public IReadOnlyList<(LogLevel Level, string Text)> Lines => [.. _lines];

    /// <summary>The lines at <see cref="LogLevel.Error"/> or above.</summary>
    public IReadOnlyList<string> Errors => [.. _lines.Where(l => l.Level >= LogLevel.Error).Select(l => l.Text)];

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

/// <summary>A <see cref="ListLogger"/> for a category.</summary>
public sealed class ListLogger<T> : ListLogger, ILogger<T>;
