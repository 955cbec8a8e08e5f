using System.Collections.Concurrent;

namespace OpenGovernanceApi.Hosting;

/// <summary>
/// What a request header's value means, worked out once per distinct value. Clients send a handful
/// of distinct values (a browser's Accept, an HTTP library's Accept-Encoding), each again and again,
/// and parsing them on every request, a 304 included, was measurable. Bounded: odd values cannot grow it.
/// </summary>
public sealed class HeaderValueMemo<T>(Func<string, T> parse, int capacity = 256)
{
    private readonly ConcurrentDictionary<string, T> _known = new(StringComparer.Ordinal);

    public T this[string value]
    {
        get
        {
            if (_known.TryGetValue(value, out var known)) return known;
            var parsed = parse(value);
            if (_known.Count >= capacity) _known.Clear();
            _known[value] = parsed;
            return parsed;
        }
    }
}
