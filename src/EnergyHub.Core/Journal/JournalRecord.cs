using System.Text.Json.Serialization;

namespace EnergyHub.Core.Journal;

/// <summary>A record waiting to be written to the journal (as JSON with its <c>kind</c> when spilled: <see cref="JournalSpill"/>).</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(ReadingRecord), "reading")]
[JsonDerivedType(typeof(DecisionRecord), "decision")]
[JsonDerivedType(typeof(CommandRecord), "command")]
[JsonDerivedType(typeof(HealthRecord), "health")]
public abstract record JournalRecord(DateTimeOffset Time);

/// <summary>One value of one series, e.g. <c>grid/Meter.PowerW</c>.</summary>
public sealed record ReadingRecord(DateTimeOffset Time, string Series, string Device, string Unit, double Value) : JournalRecord(Time);

/// <summary>A service decision with its inputs and reasons as JSON.</summary>
public sealed record DecisionRecord(DateTimeOffset Time, string Service, string Decision, string DetailsJson) : JournalRecord(Time);

/// <summary>A command attempt and its outcome.</summary>
public sealed record CommandRecord(DateTimeOffset Time, string Device, string Command, double Value, string Source, string Reason, string Status, string? Detail) : JournalRecord(Time);

/// <summary>A device health change.</summary>
public sealed record HealthRecord(DateTimeOffset Time, string Device, string Health, string? Error) : JournalRecord(Time);

/// <summary>One bucket of a downsampled history.</summary>
public sealed record HistoryPoint(DateTimeOffset Start, double Min, double Avg, double Max, long Count);

/// <summary>A stored decision.</summary>
public sealed record StoredDecision(long Id, DateTimeOffset Time, string Service, string Decision, string DetailsJson);
