using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/EnergyHub.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
