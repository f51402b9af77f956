using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;

namespace Omnichannel.Routing.Cli.CommandLine;

/// <summary>
/// How the client reaches the engine: its address, the bearer token sent with every call, and, for https://, the
/// certificate to trust when the engine's is not from a public CA.
/// </summary>
internal sealed class EngineConnection(Uri address, string? token, FileInfo? trustedCertificate)
{
    public Uri Address => address;

    /// <summary>A channel to the engine; over TLS when the address is https://.</summary>
    public GrpcChannel Open()
    {
        if (trustedCertificate is null)
        {
            return GrpcChannel.ForAddress(address);
        }

        var trusted = new X509Certificate2Collection();
        trusted.ImportFromPemFile(trustedCertificate.FullName);
        var handler = new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, errors) => IsTrusted(certificate, errors, trusted) },
        };
        return GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }

    /// <summary>The channel's invoker, adding <c>authorization: Bearer …</c> to every call when a token is set.</summary>
    public CallInvoker Invoker(GrpcChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        var invoker = channel.CreateCallInvoker();
        if (string.IsNullOrEmpty(token))
        {
            return invoker;
        }

        // A header rather than call credentials: those need TLS, and a token on loopback without TLS is a valid first run.
        return invoker.Intercept(metadata =>
        {
            metadata.Add("authorization", $"Bearer {token}");
            return metadata;
        });
    }

    /// <summary>The host name must match; the chain must end at one of the given certificates.</summary>
    private static bool IsTrusted(X509Certificate? presented, SslPolicyErrors errors, X509Certificate2Collection trusted)
    {
        if (presented is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var certificate = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        return chain.Build(certificate);
    }
}
