using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.EndToEnd.Tests.Durable;

/// <summary>Cluster mode with <c>Orleans:Tls</c>: two silos that speak TLS to each other form one cluster and route.</summary>
public sealed class SiloTlsTests(PostgresServerFixture postgres) : IClassFixture<PostgresServerFixture>
{
    [Fact]
    public async Task Two_silos_with_tls_between_them_join_one_cluster_and_route_across_it()
    {
        await using var database = await postgres.Server.CreateDatabaseAsync();
        using var certificate = TestCertificate.Create();
        string[] settings =
        [
            "--ConnectionStrings:Routing=" + database.ConnectionString,
            $"--Orleans:Tls:CertificateFile={certificate.CertificateFile}",
            $"--Orleans:Tls:KeyFile={certificate.KeyFile}",
        ];
        await using var first = await HostProcess.StartAsync(settings);
        await using var second = await HostProcess.StartAsync(settings);

        // Membership probes travel silo to silo: both stay active only if their TLS connections work.
        await WaitUntilAsync(async () => await database.ScalarAsync<long>("SELECT count(*) FROM orleans_cluster_silo WHERE status = 3") == 2, "two active silos");
        // The silo port speaks TLS with the cluster certificate: a handshake succeeds and presents it.
        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync(IPAddress.Loopback, first.Ports.Silo);
            var expected = certificate.Certificate.GetCertHashString();
            await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, presented, _, _) => presented?.GetCertHashString() == expected);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost", ClientCertificates = new X509CertificateCollection { certificate.Certificate } });
            Assert.Equal(expected, tls.RemoteCertificate!.GetCertHashString());
        }

        var viaFirst = new EngineClient(first.Channel);
        var viaSecond = new EngineClient(second.Channel);
        var queue = await viaFirst.QueueAsync("silo-tls");
        var agents = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            agents.Add(await viaFirst.AgentAsync($"silo-tls-agent-{i}", [queue]));
        }

        var desks = new List<AgentDesk>();
        foreach (var agent in agents)
        {
            desks.Add(await viaSecond.SignInAsync(agent));
        }

        try
        {
            var routed = new List<string>();
            for (var i = 0; i < 8; i++)
            {
                routed.Add((await (i % 2 == 0 ? viaFirst : viaSecond).RouteAsync(queue)).InteractionId);
            }

            foreach (var id in routed)
            {
                await viaFirst.WaitForAsync(id, x => x.State == InteractionState.Offered, "offered to an agent");
            }

            Assert.Equal(2, await database.ScalarAsync<long>("SELECT count(*) FROM orleans_cluster_silo WHERE status = 3"));
        }
        finally
        {
            foreach (var desk in desks)
            {
                await desk.DisposeAsync();
            }
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"expected {what} within 60 s");
            await Task.Delay(100);
        }
    }
}
