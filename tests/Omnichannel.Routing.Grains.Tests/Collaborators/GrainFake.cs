using System.Reflection;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

/// <summary>Makes <see cref="GrainFake{T}"/>s.</summary>
public static class GrainFake
{
    public static GrainFake<T> Of<T>()
        where T : class => (GrainFake<T>)(object)DispatchProxy.Create<T, GrainFake<T>>();
}

/// <summary>
/// A stand-in for a grain interface in collaborator tests: records every call and answers with what the test set
/// for that method, or a completed task with the default result.
/// </summary>
public class GrainFake<T> : DispatchProxy
    where T : class
{
    public List<(string Method, object?[] Args)> Calls { get; } = [];

    public Dictionary<string, Func<object?[], object?>> Answers { get; } = [];

    public T Grain => (T)(object)this;

    public IEnumerable<object?[]> CallsTo(string method) => Calls.Where(c => c.Method == method).Select(c => c.Args);

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        Calls.Add((targetMethod.Name, args ?? []));
        if (Answers.TryGetValue(targetMethod.Name, out var answer))
        {
            return answer(args ?? []);
        }

        var returns = targetMethod.ReturnType;
        if (returns == typeof(Task))
        {
            return Task.CompletedTask;
        }

        if (returns == typeof(ValueTask))
        {
            return ValueTask.CompletedTask;
        }

        if (returns.IsGenericType && returns.GetGenericTypeDefinition() == typeof(Task<>))
        {
            var result = returns.GenericTypeArguments[0];
            return typeof(Task).GetMethod(nameof(Task.FromResult))!.MakeGenericMethod(result)
                .Invoke(null, [result.IsValueType ? Activator.CreateInstance(result) : null]);
        }

        // A value (a flag such as IRoutingEventLog.CommitsWithState) answers its default, as a Task<T> does.
        return returns.IsValueType && returns != typeof(void) ? Activator.CreateInstance(returns) : null;
    }
}
