// Most of these tests wait on processes, emulators and browsers rather than on the CPU: fixtures run three at a time
// (the tests within one fixture in order). The timing-sensitive ones (fault matrix, soak, night log) are in
// EnergyHub.Reliability.Tests, which runs one fixture at a time beside this project.
[assembly: NUnit.Framework.Parallelizable(NUnit.Framework.ParallelScope.Fixtures)]
[assembly: NUnit.Framework.LevelOfParallelism(3)]

namespace EnergyHub.Tests;

/// <summary>Where the longest fixtures go in the run: first (by <see cref="OrderAttribute"/>), so none is left running alone at its end.</summary>
internal static class Parallelism
{
    public const int LongestFirst = 1;
}
