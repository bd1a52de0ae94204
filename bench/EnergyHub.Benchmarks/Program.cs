using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/EnergyHub.Benchmarks -- --filter '*'
// dotnet run -c Release --project bench/EnergyHub.Benchmarks -- side-by-side [--count 20000] [--energyhub path/to/energyhub.dll ...]
// dotnet run -c Release --project bench/EnergyHub.Benchmarks -- fleet-load --sites 100 [--minutes 3] [--interval 10]
if (args.FirstOrDefault() == "fleet-load")
{
    return await EnergyHub.Benchmarks.Fleet.FleetLoadRun.RunAsync(args[1..]);
}
if (args.FirstOrDefault() == "side-by-side")
{
    return await EnergyHub.Benchmarks.SideBySide.SideBySideRun.RunAsync(args[1..]);
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
