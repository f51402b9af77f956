using System.Diagnostics;
using System.Globalization;

namespace Omnichannel.Routing.LoadTests;

/// <summary>One reading of a process from /proc.</summary>
/// <param name="RssBytes">Resident memory now (VmRSS).</param>
/// <param name="PeakRssBytes">Highest resident memory since the process started (VmHWM).</param>
/// <param name="CpuSeconds">User plus system CPU time used so far.</param>
/// <param name="Threads">Threads now.</param>
internal readonly record struct ProcessReading(long RssBytes, long PeakRssBytes, double CpuSeconds, int Threads);

/// <summary>
/// Reads a process's memory and CPU from /proc (Linux), the way an operator would watch the host: resident memory,
/// its high-water mark, and CPU time, so the report can say how much of the machine's two cores each side used.
/// </summary>
internal static class ProcessSampler
{
    private static readonly double TicksPerSecond = ClockTicks();

    /// <summary>The process's reading, or null when it cannot be read (gone, or not Linux).</summary>
    public static ProcessReading? Read(int pid)
    {
        try
        {
            long rss = 0, hwm = 0;
            var threads = 0;
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = Kilobytes(line) * 1024;
                }
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    hwm = Kilobytes(line) * 1024;
                }
                else if (line.StartsWith("Threads:", StringComparison.Ordinal))
                {
                    threads = int.Parse(line["Threads:".Length..].Trim(), CultureInfo.InvariantCulture);
                }
            }

            // Fields 14 and 15 of /proc/<pid>/stat (utime, stime), counted after the parenthesised command name.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return new ProcessReading(rss, hwm, ticks / TicksPerSecond, threads);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>This process (the load client).</summary>
    public static ProcessReading Self()
    {
        using var me = Process.GetCurrentProcess();
        return Read(me.Id) ?? new ProcessReading(me.WorkingSet64, me.PeakWorkingSet64, me.TotalProcessorTime.TotalSeconds, me.Threads.Count);
    }

    /// <summary>The 1-minute load average of the machine, or null when unknown.</summary>
    public static double? LoadAverage()
    {
        try
        {
            return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    private static long Kilobytes(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

    // USER_HZ is 100 on every Linux this runs on; sysconf is not reachable from managed code without interop.
    private static double ClockTicks() => 100.0;
}
