// Most of these tests wait on processes, emulators and browsers rather than on the CPU: fixtures run three at a time
// (the tests within one fixture in order). Fixtures that measure time or hold the machine are [NonParallelizable].
[assembly: NUnit.Framework.Parallelizable(NUnit.Framework.ParallelScope.Fixtures)]
[assembly: NUnit.Framework.LevelOfParallelism(3)]
