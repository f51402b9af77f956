using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Omnichannel.Routing.Deploy.Tests;

/// <summary>What <c>kubectl kustomize deploy/kubernetes/overlays/{dev,production}</c> renders, checked object by object.</summary>
public sealed class KustomizeManifestTests
{
    /// <summary>The host's own grace after <c>Host:ShutdownTimeout</c> before it exits regardless (Program.cs).</summary>
    private static readonly TimeSpan HostStopGrace = TimeSpan.FromSeconds(10);

    [KubectlTheory]
    [InlineData("dev")]
    [InlineData("production")]
    public async Task Each_overlay_renders_silos_three_services_a_disruption_budget_and_a_migrate_job(string overlay)
    {
        var m = await RenderedManifests.OfOverlayAsync(overlay);

        Assert.Single(m.OfKind("Deployment"));
        Assert.Equal(3, m.OfKind("Service").Count());
        Assert.Single(m.OfKind("PodDisruptionBudget"));
        Assert.Single(m.OfKind("ConfigMap"));
        var account = m.Sole("ServiceAccount");
        Assert.Equal("false", account.Text("automountServiceAccountToken"));
        Assert.DoesNotContain(m.Objects, o => o.Text("kind") is "Role" or "RoleBinding" or "ClusterRole" or "ClusterRoleBinding");
        var job = m.Sole("Job");
        var migrate = Assert.Single(job.Items("spec", "template", "spec", "containers")).Map();
        Assert.Equal(["migrate"], migrate.Items("args").Select(a => ((YamlScalarNode)a).Value));
        Assert.Equal(overlay == "production" ? 3 : 2, m.Sole("Deployment").Number("spec", "replicas"));
    }

    [KubectlTheory]
    [InlineData("dev")]
    [InlineData("production")]
    public async Task Startup_readiness_and_liveness_are_grpc_health_probes_on_the_grpc_port(string overlay)
    {
        var m = await RenderedManifests.OfOverlayAsync(overlay);
        var silo = SiloContainer(m);
        var grpcPort = int.Parse(m.Settings()["Host__Port"], CultureInfo.InvariantCulture);

        Assert.Equal(grpcPort, ContainerPort(silo, "grpc"));
        foreach (var probe in new[] { "startupProbe", "readinessProbe", "livenessProbe" })
        {
            if (overlay == "production")
            {
                // Over TLS the kubelet's plaintext gRPC probe cannot connect: the image's CLI checks gRPC health instead.
                var command = string.Join(' ', silo.Items(probe, "exec", "command").Select(c => ((YamlScalarNode)c).Value));
                Assert.Contains($"health --address https://localhost:{grpcPort}", command, StringComparison.Ordinal);
                continue;
            }

            Assert.True(silo.Child(probe, "grpc") is not null, $"{probe} is not a gRPC health probe");
            Assert.Equal(grpcPort, silo.Number(probe, "grpc", "port"));
        }
    }

    [KubectlTheory]
    [InlineData("dev")]
    [InlineData("production")]
    public async Task A_silo_advertises_its_pod_ip_and_exposes_the_ports_its_settings_name(string overlay)
    {
        var m = await RenderedManifests.OfOverlayAsync(overlay);
        var settings = m.Settings();
        var silo = SiloContainer(m);

        Assert.Equal(int.Parse(settings["Orleans__SiloPort"], CultureInfo.InvariantCulture), ContainerPort(silo, "silo"));
        Assert.Equal(int.Parse(settings["Orleans__GatewayPort"], CultureInfo.InvariantCulture), ContainerPort(silo, "gateway"));
        Assert.Equal(int.Parse(settings["Host__MetricsPort"], CultureInfo.InvariantCulture), ContainerPort(silo, "metrics"));
        Assert.Equal(int.Parse(settings["Host__WebPort"], CultureInfo.InvariantCulture), ContainerPort(silo, "web"));
        Assert.Equal("0.0.0.0", settings["Host__ListenAddress"]);
        var advertised = Assert.Single(silo.Items("env"), e => e.Text("name") == "Orleans__AdvertisedAddress");
        Assert.Equal("status.podIP", advertised.Text("valueFrom", "fieldRef", "fieldPath"));

        var annotations = m.Sole("Deployment").Child("spec", "template", "metadata", "annotations")!;
        Assert.Equal("true", annotations.Text("prometheus.io/scrape"));
        Assert.Equal(settings["Host__MetricsPort"], annotations.Text("prometheus.io/port"));
        Assert.Equal("/metrics", annotations.Text("prometheus.io/path"));
    }

    [KubectlTheory]
    [InlineData("dev")]
    [InlineData("production")]
    public async Task Every_image_is_pinned_to_a_release_tag_never_latest(string overlay)
    {
        var m = await RenderedManifests.OfOverlayAsync(overlay);

        Assert.Equal(2, m.Containers().Count());
        foreach (var (owner, container) in m.Containers())
        {
            var image = container.Text("image") ?? string.Empty;
            var reference = image[(image.LastIndexOf('/') + 1)..];
            var pinned = reference.Contains("@sha256:", StringComparison.Ordinal)
                || (reference.Split(':') is [_, var tag] && tag.Length > 0 && tag != "latest");
            Assert.True(pinned, $"{owner.Text("kind")} {owner.Text("metadata", "name")} runs '{image}', which is not pinned to a tag other than latest");
        }
    }

    [KubectlTheory]
    [InlineData("dev")]
    [InlineData("production")]
    public async Task Every_container_requests_cpu_and_memory_and_limits_memory_but_not_cpu(string overlay)
    {
        var m = await RenderedManifests.OfOverlayAsync(overlay);

        foreach (var (owner, container) in m.Containers())
        {
            var what = $"{owner.Text("kind")} {owner.Text("metadata", "name")}";
            Assert.False(string.IsNullOrEmpty(container.Text("resources", "requests", "cpu")), $"{what}: no CPU request");
            Assert.False(string.IsNullOrEmpty(container.Text("resources", "requests", "memory")), $"{what}: no memory request");
            Assert.False(string.IsNullOrEmpty(container.Text("resources", "limits", "memory")), $"{what}: no memory limit");
            Assert.Null(container.Child("resources", "limits", "cpu"));
        }
    }

    [KubectlTheory]
    [InlineData("dev")]
    [InlineData("production")]
    public async Task A_silo_is_given_longer_to_stop_than_the_host_can_take(string overlay)
    {
        var m = await RenderedManifests.OfOverlayAsync(overlay);
        var shutdownTimeout = TimeSpan.Parse(m.Settings()["Host__ShutdownTimeout"], CultureInfo.InvariantCulture);
        var preStop = TimeSpan.FromSeconds(SiloContainer(m).Number("lifecycle", "preStop", "sleep", "seconds") ?? 0);
        var grace = TimeSpan.FromSeconds(m.Sole("Deployment").Number("spec", "template", "spec", "terminationGracePeriodSeconds") ?? 30);

        Assert.True(grace > preStop + shutdownTimeout + HostStopGrace, $"terminationGracePeriodSeconds {grace} does not exceed preStop {preStop} + Host:ShutdownTimeout {shutdownTimeout} + {HostStopGrace}");
    }

    [KubectlTheory]
    [InlineData("dev")]
    [InlineData("production")]
    public async Task A_rolling_update_starts_a_new_silo_before_an_old_one_goes_and_drains_take_one_at_a_time(string overlay)
    {
        var m = await RenderedManifests.OfOverlayAsync(overlay);
        var deployment = m.Sole("Deployment");

        Assert.Equal("RollingUpdate", deployment.Text("spec", "strategy", "type"));
        Assert.Equal("0", deployment.Text("spec", "strategy", "rollingUpdate", "maxUnavailable"));
        Assert.Equal("1", deployment.Text("spec", "strategy", "rollingUpdate", "maxSurge"));
        var budget = m.Sole("PodDisruptionBudget");
        Assert.Equal("1", budget.Text("spec", "maxUnavailable"));
        AssertSelects(budget.Child("spec", "selector", "matchLabels")!, deployment);
    }

    [KubectlTheory]
    [InlineData("dev")]
    [InlineData("production")]
    public async Task Both_services_speak_h2c_to_the_silos_grpc_port_and_one_is_headless(string overlay)
    {
        var m = await RenderedManifests.OfOverlayAsync(overlay);
        var deployment = m.Sole("Deployment");
        var services = m.OfKind("Service").Where(s => s.Items("spec", "ports").Any(p => p.Text("name") == "grpc")).ToList();

        Assert.Single(services, s => s.Text("spec", "clusterIP") == "None");
        foreach (var service in services)
        {
            var port = Assert.Single(service.Items("spec", "ports"));
            Assert.Equal("kubernetes.io/h2c", port.Text("appProtocol"));
            Assert.Equal("grpc", port.Text("targetPort"));
            AssertSelects(service.Child("spec", "selector")!, deployment);
        }
    }

    [KubectlTheory]
    [InlineData("dev")]
    [InlineData("production")]
    public async Task The_wallboard_and_http_json_have_a_service_of_their_own_on_the_silos_web_port(string overlay)
    {
        var m = await RenderedManifests.OfOverlayAsync(overlay);
        var services = m.OfKind("Service").ToList();

        var web = Assert.Single(services, s => s.Items("spec", "ports").Any(p => p.Text("name") == "web"));
        var port = Assert.Single(web.Items("spec", "ports"));
        Assert.Equal("web", port.Text("targetPort"));
        Assert.Equal(int.Parse(m.Settings()["Host__WebPort"], CultureInfo.InvariantCulture), port.Number("port"));
        AssertSelects(web.Child("spec", "selector")!, m.Sole("Deployment"));
    }

    [KubectlTheory]
    [InlineData("dev")]
    [InlineData("production")]
    public async Task The_connection_string_comes_from_a_secret_generated_in_dev_and_created_outside_in_production(string overlay)
    {
        var m = await RenderedManifests.OfOverlayAsync(overlay);
        var references = m.Containers()
            .Select(c => Assert.Single(c.Container.Items("env"), e => e.Text("name") == "ConnectionStrings__Routing"))
            .Select(e => e.Text("valueFrom", "secretKeyRef", "name"))
            .Distinct()
            .ToList();

        var name = Assert.Single(references);
        if (overlay == "production")
        {
            Assert.Equal("omnichannel-routing-postgres", name);
            Assert.Empty(m.OfKind("Secret"));
        }
        else
        {
            Assert.Equal(name, m.Sole("Secret").Text("metadata", "name"));
        }
    }

    [KubectlTheory]
    [InlineData("dev")]
    [InlineData("production")]
    public async Task Containers_run_as_non_root_on_a_read_only_root_filesystem_with_only_tmp_writable(string overlay)
    {
        var m = await RenderedManifests.OfOverlayAsync(overlay);

        foreach (var (owner, container) in m.Containers())
        {
            Assert.Equal("true", owner.Text("spec", "template", "spec", "securityContext", "runAsNonRoot"));
            Assert.Equal("true", container.Text("securityContext", "readOnlyRootFilesystem"));
            Assert.Equal("false", container.Text("securityContext", "allowPrivilegeEscalation"));
            // Secrets (production's key set and certificate) are mounted read-only; /tmp is the one writable mount.
            var mount = Assert.Single(container.Items("volumeMounts"), m => m.Text("readOnly") != "true");
            Assert.Equal("/tmp", mount.Text("mountPath"));
        }
    }

    [KubectlTheory]
    [InlineData("production")]
    public async Task Production_requires_tokens_and_serves_tls_from_mounted_secrets_and_is_never_insecure(string overlay)
    {
        var m = await RenderedManifests.OfOverlayAsync(overlay);
        var settings = m.Settings();
        var silo = SiloContainer(m);
        var volumes = m.Sole("Deployment").Items("spec", "template", "spec", "volumes").Select(v => v.Map()).ToList();

        Assert.DoesNotContain("Host__Insecure", settings.Keys);
        Assert.DoesNotContain(m.Containers(), c => c.Container.Items("env").Any(e => e.Text("name") == "Host__Insecure"));
        Assert.False(string.IsNullOrEmpty(settings.GetValueOrDefault("Auth__Issuer")));
        Assert.False(string.IsNullOrEmpty(settings.GetValueOrDefault("Auth__Audience")));
        var key = settings.GetValueOrDefault("Auth__JwksFile") ?? settings.GetValueOrDefault("Auth__PublicKeyFile");
        foreach (var (file, secret) in new[] { (key, "omnichannel-routing-auth"), (settings["Tls__CertificateFile"], "omnichannel-routing-tls"), (settings["Tls__KeyFile"], "omnichannel-routing-tls") })
        {
            Assert.NotNull(file);
            var mount = Assert.Single(silo.Items("volumeMounts"), v => file!.StartsWith(v.Text("mountPath") + "/", StringComparison.Ordinal));
            Assert.Equal("true", mount.Text("readOnly"));
            Assert.Equal(secret, Assert.Single(volumes, v => v.Text("name") == mount.Text("name")).Text("secret", "secretName"));
        }

        // Created outside the repository, like the connection string's.
        Assert.Empty(m.OfKind("Secret"));
    }

    [KubectlTheory]
    [InlineData("production")]
    public async Task Production_spells_out_failure_detection_that_declares_a_dead_silo_within_seconds(string overlay)
    {
        var settings = (await RenderedManifests.OfOverlayAsync(overlay)).Settings();

        var probe = TimeSpan.Parse(settings["Orleans__Membership__ProbeTimeout"], CultureInfo.InvariantCulture);
        var missed = int.Parse(settings["Orleans__Membership__NumMissedProbesLimit"], CultureInfo.InvariantCulture);
        Assert.True(probe * missed <= TimeSpan.FromSeconds(6), $"{missed} missed probes of {probe} take longer than a few seconds");
        Assert.InRange(int.Parse(settings["Orleans__Membership__NumVotesForDeathDeclaration"], CultureInfo.InvariantCulture), 1, 2);
        Assert.True(settings.ContainsKey("Orleans__Membership__IAmAliveTablePublishTimeout"));
    }

    private static YamlMappingNode SiloContainer(RenderedManifests m) =>
        Assert.Single(m.Sole("Deployment").Items("spec", "template", "spec", "containers")).Map();

    private static int? ContainerPort(YamlMappingNode container, string name) =>
        Assert.Single(container.Items("ports"), p => p.Text("name") == name).Number("containerPort");

    private static void AssertSelects(YamlNode selector, YamlMappingNode deployment)
    {
        var podLabels = deployment.Child("spec", "template", "metadata", "labels")!.Map();
        foreach (var (key, value) in selector.Map().Children)
        {
            Assert.True(podLabels.Children.TryGetValue(key, out var label) && label.Equals(value), $"the silo pods lack the selected label {key}={value}");
        }
    }
}
