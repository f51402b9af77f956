using System.Collections;

namespace Omnichannel.Routing.Core;

/// <summary>
/// A sorted set that also answers "how many items come before this one" in O(log n): a treap whose nodes count
/// their subtree. The waiting list needs both the head of each bucket (to decide) and ranks (to tell a caller its
/// queue position) without scanning.
/// </summary>
/// <typeparam name="T">Item type; the comparer must be a total order, items comparing equal are duplicates.</typeparam>
public sealed class RankedSet<T> : IReadOnlyCollection<T>
{
    private readonly IComparer<T> _comparer;
    private Node? _root;
    private ulong _seed = 0x9E3779B97F4A7C15UL;

    public RankedSet(IComparer<T> comparer)
    {
        _comparer = comparer ?? throw new ArgumentNullException(nameof(comparer));
    }

    public int Count => Size(_root);

    /// <summary>The smallest item; default when empty.</summary>
    public T? Min
    {
        get
        {
            var n = _root;
            if (n is null)
            {
                return default;
            }

            while (n.Left is not null)
            {
                n = n.Left;
            }

            return n.Item;
        }
    }

    public bool Add(T item)
    {
        if (Contains(item))
        {
            return false;
        }

        var (left, right) = Split(_root, item);
        _root = Merge(Merge(left, new Node(item, NextPriority())), right);
        return true;
    }

    public bool Remove(T item)
    {
        var removed = false;
        _root = Remove(_root, item, ref removed);
        return removed;
    }

    public bool Contains(T item)
    {
        var n = _root;
        while (n is not null)
        {
            var c = _comparer.Compare(item, n.Item);
            if (c == 0)
            {
                return true;
            }

            n = c < 0 ? n.Left : n.Right;
        }

        return false;
    }

    /// <summary>How many items compare less than <paramref name="probe"/> (which need not be in the set).</summary>
    public int CountLessThan(T probe)
    {
        var count = 0;
        var n = _root;
        while (n is not null)
        {
            if (_comparer.Compare(n.Item, probe) < 0)
            {
                count += Size(n.Left) + 1;
                n = n.Right;
            }
            else
            {
                n = n.Left;
            }
        }

        return count;
    }

    public IEnumerator<T> GetEnumerator()
    {
        var stack = new Stack<Node>();
        var n = _root;
        while (n is not null || stack.Count > 0)
        {
            while (n is not null)
            {
                stack.Push(n);
                n = n.Left;
            }

            n = stack.Pop();
            yield return n.Item;
            n = n.Right;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static int Size(Node? n) => n?.Size ?? 0;

    private ulong NextPriority()
    {
        // xorshift64*: deterministic, so runs are reproducible; the order of items never depends on it.
        _seed ^= _seed >> 12;
        _seed ^= _seed << 25;
        _seed ^= _seed >> 27;
        return _seed * 2685821657736338717UL;
    }

    // Splits into (items < key, items >= key).
    private (Node? Left, Node? Right) Split(Node? n, T key)
    {
        if (n is null)
        {
            return (null, null);
        }

        if (_comparer.Compare(n.Item, key) < 0)
        {
            var (l, r) = Split(n.Right, key);
            n.Right = l;
            n.Update();
            return (n, r);
        }
        else
        {
            var (l, r) = Split(n.Left, key);
            n.Left = r;
            n.Update();
            return (l, n);
        }
    }

    private static Node? Merge(Node? a, Node? b)
    {
        if (a is null)
        {
            return b;
        }

        if (b is null)
        {
            return a;
        }

        if (a.Priority > b.Priority)
        {
            a.Right = Merge(a.Right, b);
            a.Update();
            return a;
        }

        b.Left = Merge(a, b.Left);
        b.Update();
        return b;
    }

    private Node? Remove(Node? n, T item, ref bool removed)
    {
        if (n is null)
        {
            return null;
        }

        var c = _comparer.Compare(item, n.Item);
        if (c == 0)
        {
            removed = true;
            return Merge(n.Left, n.Right);
        }

        if (c < 0)
        {
            n.Left = Remove(n.Left, item, ref removed);
        }
        else
        {
            n.Right = Remove(n.Right, item, ref removed);
        }

        n.Update();
        return n;
    }

    private sealed class Node(T item, ulong priority)
    {
        public T Item { get; } = item;

        public ulong Priority { get; } = priority;

        public Node? Left { get; set; }

        public Node? Right { get; set; }

        public int Size { get; private set; } = 1;

        public void Update() => Size = 1 + (Left?.Size ?? 0) + (Right?.Size ?? 0);
    }
}
