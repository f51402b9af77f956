using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Omnichannel.Routing.Api.Security;
using Orleans.Connections.Security;

namespace Omnichannel.Routing.Host;

/// <summary>
/// How the host meets the network (contract §7): the gRPC endpoint's certificate (<c>Tls:*</c>), the silo-to-silo
/// certificate in cluster mode (<c>Orleans:Tls:*</c>), and the rule that a non-loopback address needs authentication
/// and TLS unless <c>--insecure</c> is given.
/// </summary>
internal sealed class HostTransport
{
    /// <summary>The command-line flag (also the setting <c>Host:Insecure</c>) that allows an open, plaintext non-loopback listener.</summary>
    public const string InsecureFlag = "--insecure";

    private HostTransport(X509Certificate2? grpcCertificate, X509Certificate2? siloCertificate, X509Certificate2Collection siloAuthorities, bool authenticationEnabled, bool insecure)
    {
        GrpcCertificate = grpcCertificate;
        SiloCertificate = siloCertificate;
        SiloAuthorities = siloAuthorities;
        AuthenticationEnabled = authenticationEnabled;
        Insecure = insecure;
    }

    /// <summary>The certificate the gRPC endpoint serves, if TLS is configured.</summary>
    public X509Certificate2? GrpcCertificate { get; }

    /// <summary>The certificate silos present to each other in cluster mode, if configured.</summary>
    public X509Certificate2? SiloCertificate { get; }

    private X509Certificate2Collection SiloAuthorities { get; }

    public bool AuthenticationEnabled { get; }

    public bool Insecure { get; }

    public string Description => GrpcCertificate is null ? "HTTP/2 without TLS" : "HTTP/2 over TLS";

    /// <summary>True if <paramref name="args"/> held the bare <c>--insecure</c> flag, which it then loses: the configuration reader would take the next argument as its value.</summary>
    public static bool TakeInsecureFlag(ref string[] args)
    {
        var given = args.Contains(InsecureFlag);
        args = [.. args.Where(a => a != InsecureFlag)];
        return given;
    }

    /// <summary>Reads the settings (<c>Auth</c>, <c>Tls</c>, <c>Orleans:Tls</c>, <c>Host:Insecure</c>).</summary>
    public static HostTransport From(IConfiguration configuration, bool insecureFlag)
    {
        var insecure = insecureFlag || configuration.GetValue("Host:Insecure", false);
        var auth = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        var tls = configuration.GetSection("Tls");
        var siloTls = configuration.GetSection("Orleans:Tls");
        var authorities = new X509Certificate2Collection();
        if (siloTls["CaFile"] is { Length: > 0 } caFile)
        {
            authorities.ImportFromPemFile(caFile);
        }

        return new HostTransport(LoadCertificate(tls), LoadCertificate(siloTls), authorities, auth.IsEnabled, insecure);
    }

    /// <summary>
    /// Null when the host may listen on <paramref name="address"/>; otherwise why not. Loopback is always allowed; any
    /// other address needs authentication and TLS, or the explicit <c>--insecure</c>.
    /// </summary>
    public string? RefusalFor(IPAddress address)
    {
        if (IPAddress.IsLoopback(address) || Insecure || (AuthenticationEnabled && GrpcCertificate is not null))
        {
            return null;
        }

        var missing = string.Join(" and ", new[] { AuthenticationEnabled ? null : "authentication (Auth:Issuer, Auth:Audience and a key)", GrpcCertificate is null ? "TLS (Tls:CertificateFile)" : null }.OfType<string>());
        return $"refusing to listen on {address} without {missing}: anyone who reaches the port could act as any agent, supervisor or administrator. Configure them (README, Security), or start with {InsecureFlag} to accept that.";
    }

    /// <summary>The gRPC listener: HTTP/2, over TLS when a certificate is configured.</summary>
    public void ConfigureGrpc(ListenOptions listen)
    {
        listen.Protocols = HttpProtocols.Http2;
        if (GrpcCertificate is not null)
        {
            listen.UseHttps(GrpcCertificate);
        }
    }

    /// <summary>
    /// The web listener (wallboard, HTTP/JSON, OpenAPI): browsers and curl speak HTTP/1.1, which cannot share a
    /// cleartext port with gRPC's HTTP/2; over TLS it offers both.
    /// </summary>
    public void ConfigureWeb(ListenOptions listen)
    {
        listen.Protocols = GrpcCertificate is null ? HttpProtocols.Http1 : HttpProtocols.Http1AndHttp2;
        if (GrpcCertificate is not null)
        {
            listen.UseHttps(GrpcCertificate);
        }
    }

    /// <summary>Cluster mode: silos speak TLS to each other, each presenting the cluster certificate and requiring the other's.</summary>
    public void SecureSiloConnections(ISiloBuilder silo)
    {
        if (SiloCertificate is null)
        {
            return;
        }

        silo.UseTls(SiloCertificate, tls =>
        {
            tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
            tls.RemoteCertificateValidation = (certificate, _, errors) => IsClusterCertificate(certificate, errors);
        });
    }

    /// <summary>A peer is trusted when it presents the cluster's own certificate, or one the configured CA issued.</summary>
    private bool IsClusterCertificate(X509Certificate2 certificate, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None || string.Equals(certificate.Thumbprint, SiloCertificate!.Thumbprint, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (SiloAuthorities.Count == 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(SiloAuthorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    /// <summary>A PEM certificate with its key (<c>CertificateFile</c> + <c>KeyFile</c>) or a PFX (<c>CertificateFile</c> + <c>CertificatePassword</c>).</summary>
    private static X509Certificate2? LoadCertificate(IConfigurationSection section)
    {
        if (section["CertificateFile"] is not { Length: > 0 } certificateFile)
        {
            return null;
        }

        if (section["KeyFile"] is { Length: > 0 } keyFile)
        {
            using var pem = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
            // Re-imported: on some platforms SslStream cannot use a key that exists only in memory as an ephemeral one.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }

        return X509CertificateLoader.LoadPkcs12FromFile(certificateFile, section["CertificatePassword"]);
    }
}
