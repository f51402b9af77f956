using Omnichannel.Routing.Core.Reporting;
using Omnichannel.Routing.Simulation.Scenarios;

namespace Omnichannel.Routing.Simulation.Results;

/// <summary>
/// One simulated day: its trace and the interval report made from it by the same builder that reports the engine's
/// real days, with the day's totals and the figures a simulation adds (occupancy spread, interactions per agent).
/// </summary>
public sealed class SimulationRun
{
    /// <summary>The row key of figures over every queue or channel.</summary>
    public const string All = "*";

    private SimulationRun(Scenario scenario, int seed, IReadOnlyList<TraceEvent> trace, IntervalReport report, IntervalReport totals,
        IReadOnlyList<QueueIntervalRow> overallByInterval, QueueIntervalRow overall, int arrivals, TimeSpan wallTime)
    {
        Scenario = scenario;
        Seed = seed;
        Trace = trace;
        Report = report;
        Totals = totals;
        OverallByInterval = overallByInterval;
        Overall = overall;
        Arrivals = arrivals;
        WallTime = wallTime;
        Occupancy = AgentOccupancySummary.Of(totals.Agents);
    }

    public Scenario Scenario { get; }

    public int Seed { get; }

    public IReadOnlyList<TraceEvent> Trace { get; }

    /// <summary>Per queue, channel and interval.</summary>
    public IntervalReport Report { get; }

    /// <summary>Per queue and channel, over the whole day.</summary>
    public IntervalReport Totals { get; }

    /// <summary>Every queue and channel together, per interval.</summary>
    public IReadOnlyList<QueueIntervalRow> OverallByInterval { get; }

    /// <summary>Every queue and channel together, over the whole day.</summary>
    public QueueIntervalRow Overall { get; }

    public AgentOccupancySummary Occupancy { get; }

    public int Arrivals { get; }

    /// <summary>How long the run took on the machine (not simulated time).</summary>
    public TimeSpan WallTime { get; }

    /// <summary>Simulated arrivals per second of wall time.</summary>
    public double InteractionsPerSecond => WallTime > TimeSpan.Zero ? Arrivals / WallTime.TotalSeconds : 0;

    internal static SimulationRun From(Scenario scenario, int seed, IReadOnlyList<TraceEvent> trace, int arrivals, TimeSpan wallTime)
    {
        var window = new ReportWindow(scenario.StartTime, scenario.EndTime, TimeSpan.FromMinutes(scenario.IntervalMinutes), TimeSpan.FromSeconds(scenario.ServiceLevelSeconds));
        var ledger = new TraceLedger();
        ledger.RecordAll(trace);
        var traceEnd = ledger.LastEventTime;
        var inWindow = ledger.Segments.Where(s => window.IndexOf(s.EnteredAt) >= 0).ToList();
        var byInterval = Enumerable.Range(0, window.IntervalCount)
            .Select(i => IntervalReportBuilder.QueueRow(All, All, window.StartOf(i), window.EndOf(i), inWindow.Where(s => window.IndexOf(s.EnteredAt) == i).ToList(), window.ServiceLevelThreshold, traceEnd))
            .ToList();
        var overall = IntervalReportBuilder.QueueRow(All, All, window.From, window.To, inWindow, window.ServiceLevelThreshold, traceEnd);
        return new SimulationRun(scenario, seed, trace, IntervalReportBuilder.Build(ledger, window), IntervalReportBuilder.Build(ledger, window.Whole), byInterval, overall, arrivals, wallTime);
    }
}

/// <summary>How occupied the agents were over the day: per agent, and their mean and spread.</summary>
/// <param name="PerAgent">Each agent's busy ÷ signed-in time over the day, in percent.</param>
/// <param name="HandledPerAgentByChannel">Mean interactions finished per signed-in agent, per channel.</param>
public sealed record AgentOccupancySummary(IReadOnlyDictionary<string, double> PerAgent, IReadOnlyDictionary<string, double> HandledPerAgentByChannel)
{
    public double Mean => PerAgent.Count == 0 ? 0 : PerAgent.Values.Average();

    /// <summary>The standard deviation across agents: how unevenly the work was spread.</summary>
    public double Spread => PerAgent.Count == 0 ? 0 : Math.Sqrt(PerAgent.Values.Average(v => (v - Mean) * (v - Mean)));

    public double Min => PerAgent.Count == 0 ? 0 : PerAgent.Values.Min();

    public double Max => PerAgent.Count == 0 ? 0 : PerAgent.Values.Max();

    internal static AgentOccupancySummary Of(IReadOnlyList<AgentIntervalRow> dayRows)
    {
        var overall = dayRows.Where(r => r.Channel == AgentIntervalRow.AllChannels && r.SignedInTime > TimeSpan.Zero).ToList();
        var perAgent = overall.ToDictionary(r => r.AgentId, r => r.OccupancyPercent, StringComparer.Ordinal);
        var handled = dayRows
            .Where(r => r.Channel != AgentIntervalRow.AllChannels)
            .GroupBy(r => r.Channel, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => perAgent.Count == 0 ? 0 : (double)g.Sum(r => r.Handled) / perAgent.Count, StringComparer.Ordinal);
        return new AgentOccupancySummary(perAgent, handled);
    }
}
