using Npgsql;

namespace Omnichannel.Routing.LoadTests;

/// <summary>What the silos of a local cluster had counted at one moment, summed over the silos.</summary>
/// <param name="CpuSeconds">User plus system CPU time of every silo process so far.</param>
/// <param name="MessagesSent">Orleans messages the silos sent over their connections (to other silos; membership probes included).</param>
/// <param name="LocalMessages">Orleans messages between grains of the same silo.</param>
/// <param name="SilosRead">Silos whose process and metrics endpoint could both be read.</param>
internal readonly record struct ClusterReading(double CpuSeconds, long MessagesSent, long LocalMessages, int SilosRead);

/// <summary>What the membership table says of the cluster's silos.</summary>
/// <param name="DeclaredDead">Silo incarnations marked dead: a killed or stopped silo's, or a healthy one declared dead wrongly.</param>
/// <param name="Suspected">Incarnations some other silo suspected at least once (missed probes) since they joined.</param>
internal readonly record struct MembershipReading(int DeclaredDead, int Suspected);

/// <summary>
/// Reads a local cluster's silos the way an operator would: CPU from /proc, Orleans' own message counters from each
/// silo's Prometheus endpoint, and the membership table in the cluster's PostgreSQL. Messages sent between silos per
/// lifecycle is the figure that sizes a real cluster: each is a network hop a single silo does not pay.
/// </summary>
internal sealed class ClusterCounters(LocalClusterSilos cluster) : IDisposable
{
    // Orleans' message-size histograms count one observation per message sent over a connection; local sends have a
    // counter of their own. Names as the Prometheus exporter writes them.
    private const string SentMessages = "orleans_messaging_sent_messages_size_bytes_count";
    private const string LocalMessages = "orleans_messaging_sent_local_total";
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public async Task<ClusterReading> ReadAsync(CancellationToken cancel)
    {
        double cpu = 0;
        long sent = 0, local = 0;
        var read = 0;
        for (var silo = 1; silo <= cluster.Addresses.Count; silo++)
        {
            if (cluster.ProcessOf(silo) is not { } process || cluster.MetricsPortOf(silo) is not { } port)
            {
                continue;
            }

            string text;
            try
            {
                text = await _http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"), cancel).ConfigureAwait(false);
            }
            catch (HttpRequestException)
            {
                continue;
            }
            catch (TaskCanceledException) when (!cancel.IsCancellationRequested)
            {
                continue;
            }

            cpu += process.CpuSeconds;
            sent += PrometheusExposition.Sum(text, SentMessages);
            local += PrometheusExposition.Sum(text, LocalMessages);
            read++;
        }

        return new ClusterReading(cpu, sent, local, read);
    }

    /// <summary>The membership table now; null when the database does not answer in three tries (it may be the part that is saturated).</summary>
    public async Task<MembershipReading?> ReadMembershipAsync(CancellationToken cancel)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await QueryMembershipAsync(cancel).ConfigureAwait(false);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException && !cancel.IsCancellationRequested)
            {
                if (attempt == 3)
                {
                    return null;
                }

                await Task.Delay(TimeSpan.FromSeconds(5), cancel).ConfigureAwait(false);
            }
        }
    }

    private async Task<MembershipReading> QueryMembershipAsync(CancellationToken cancel)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { Timeout = 30, Pooling = false }.ConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancel).ConfigureAwait(false);
            // Orleans' SiloStatus: 6 is Dead. suspect_times holds the votes of silos that missed this one's probes.
            using var command = new NpgsqlCommand(
                """
                SELECT count(*) FILTER (WHERE status = 6),
                       count(*) FILTER (WHERE coalesce(suspect_times, '') <> '')
                FROM orleans_cluster_silo
                """,
                connection);
            using var reader = await command.ExecuteReaderAsync(cancel).ConfigureAwait(false);
            await reader.ReadAsync(cancel).ConfigureAwait(false);
            return new MembershipReading((int)reader.GetInt64(0), (int)reader.GetInt64(1));
        }
    }

    public void Dispose() => _http.Dispose();
}
