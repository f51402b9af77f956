namespace Omnichannel.Routing.Deploy.Tests;

/// <summary>A theory that needs kubectl (with its built-in kustomize) on PATH; skipped, saying so, where it is missing.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class KubectlTheoryAttribute : TheoryAttribute
{
    public const string Missing = "kubectl is not on PATH: install kubectl (v1.27+, with kustomize v5) to check the rendered Kubernetes manifests";

    public KubectlTheoryAttribute()
    {
        if (!CommandRun.IsOnPath("kubectl"))
        {
            Skip = Missing;
        }
    }
}
