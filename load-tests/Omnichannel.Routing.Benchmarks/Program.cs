using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// A short job (3 warm-ups, 3 measured iterations, one launch) run in process: the whole set finishes in a few
// minutes on two cores, and in-process needs no generated project (which would inherit this repository's
// warnings-as-errors build). Pass BenchmarkDotNet's own options to narrow it, e.g. --filter '*AgentSelection*'.
var config = DefaultConfig.Instance
    .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
    .AddColumn(StatisticColumn.Median)
    .WithOptions(ConfigOptions.JoinSummary);
var switcher = BenchmarkSwitcher.FromAssembly(typeof(Omnichannel.Routing.Benchmarks.AgentSelectionBenchmarks).Assembly);
switcher.Run(args.Length == 0 ? ["--filter", "*"] : args, config);
