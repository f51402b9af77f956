using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Omnichannel.Routing.TestSupport;

/// <summary>
/// A self-signed certificate for 127.0.0.1 and localhost, made for one test run and written as PEM (certificate and
/// key) into a directory of its own, deleted when disposed.
/// </summary>
public sealed class TestCertificate : IDisposable
{
    private TestCertificate(X509Certificate2 certificate, string directory)
    {
        Certificate = certificate;
        Directory = directory;
        CertificateFile = Path.Combine(directory, "server.crt");
        KeyFile = Path.Combine(directory, "server.key");
    }

    public X509Certificate2 Certificate { get; }

    public string Directory { get; }

    public string CertificateFile { get; }

    public string KeyFile { get; }

    /// <summary>The host's settings that serve this certificate on its gRPC port.</summary>
    public IReadOnlyList<string> HostSettings => [$"--Tls:CertificateFile={CertificateFile}", $"--Tls:KeyFile={KeyFile}"];

    public static TestCertificate Create(string subject = "CN=omnichannel-test")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var directory = Path.Combine(Path.GetTempPath(), "omnichannel-tls-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(directory);
        var test = new TestCertificate(certificate, directory);
        File.WriteAllText(test.CertificateFile, certificate.ExportCertificatePem());
        File.WriteAllText(test.KeyFile, key.ExportPkcs8PrivateKeyPem());
        return test;
    }

    /// <summary>A handler that trusts exactly this certificate, as a client given it with <c>--ca</c> would.</summary>
    public HttpMessageHandler TrustingHandler() => new SocketsHttpHandler
    {
        SslOptions = { RemoteCertificateValidationCallback = (_, presented, _, _) => presented is not null && presented.GetCertHashString() == Certificate.GetCertHashString() },
    };

    public void Dispose()
    {
        Certificate.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
