using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/EnergyHub.Benchmarks -- --filter '*'
// dotnet run -c Release --project bench/EnergyHub.Benchmarks -- side-by-side [--count 20000] [--energyhub path/to/energyhub.dll ...]
if (args.FirstOrDefault() == "side-by-side")
{
    return await EnergyHub.Benchmarks.SideBySide.SideBySideRun.RunAsync(args[1..]);
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
