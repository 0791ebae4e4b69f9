using System.Collections;
using System.Text;

namespace Sandbox.Grpc;

/// <summary>
/// Custom metadata: ordered key/value entries. Keys are lower-case ASCII; keys ending in
/// <c>-bin</c> carry binary values (base64 on the wire), all others ASCII strings.
/// </summary>
public sealed class Metadata : IEnumerable<Metadata.Entry>
{
    public const string BinarySuffix = "-bin";

    /// <summary>An empty, read-only instance.</summary>
    public static readonly Metadata Empty = new(readOnly: true);

    private readonly List<Entry> entries = [];
    private readonly bool readOnly;

    public Metadata()
    {
    }

    private Metadata(bool readOnly) => this.readOnly = readOnly;

    public int Count => entries.Count;

    public Entry this[int index] => entries[index];

    public Metadata Add(string key, string value)
    {
        Add(new Entry(key, value));
        return this;
    }

    public Metadata Add(string key, byte[] value)
    {
        Add(new Entry(key, value));
        return this;
    }

    public void Add(Entry entry)
    {
        if (readOnly)
        {
            throw new InvalidOperationException("This metadata is read-only.");
        }
        entries.Add(entry);
    }

    /// <summary>The last entry with this key, or null. Keys compare case-insensitively.</summary>
    public Entry? Get(string key)
    {
        for (var i = entries.Count - 1; i >= 0; i--)
        {
            if (string.Equals(entries[i].Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return entries[i];
            }
        }
        return null;
    }

    /// <summary>The string value of the last entry with this key, or null.</summary>
    public string? GetValue(string key) => Get(key)?.Value;

    /// <summary>The bytes of the last binary entry with this key, or null.</summary>
    public byte[]? GetValueBytes(string key) => Get(key)?.ValueBytes;

    public IEnumerator<Entry> GetEnumerator() => entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>One metadata entry.</summary>
    public sealed class Entry
    {
        private readonly string? value;
        private readonly byte[]? valueBytes;

        public Entry(string key, string value)
        {
            Key = NormalizeKey(key);
            if (IsBinaryKey(Key))
            {
                throw new ArgumentException($"Key '{key}' ends in {BinarySuffix} and needs a binary value.", nameof(key));
            }
            foreach (var c in value)
            {
                if (c < 0x20 || c > 0x7E)
                {
                    throw new ArgumentException($"The value of '{key}' must be printable ASCII.", nameof(value));
                }
            }
            this.value = value;
        }

        public Entry(string key, byte[] value)
        {
            Key = NormalizeKey(key);
            if (!IsBinaryKey(Key))
            {
                throw new ArgumentException($"Key '{key}' carries bytes, so it must end in {BinarySuffix}.", nameof(key));
            }
            valueBytes = value;
        }

        public string Key { get; }

        public bool IsBinary => valueBytes is not null;

        /// <summary>The ASCII value; for a binary entry, its base64 form.</summary>
        public string Value => value ?? Convert.ToBase64String(valueBytes!);

        /// <summary>The bytes of a binary entry; for an ASCII entry, its ASCII bytes.</summary>
        public byte[] ValueBytes => valueBytes ?? Encoding.ASCII.GetBytes(value!);

        public override string ToString() => $"{Key}={Value}";

        public static bool IsBinaryKey(string key) => key.EndsWith(BinarySuffix, StringComparison.OrdinalIgnoreCase);

        private static string NormalizeKey(string key)
        {
            ArgumentException.ThrowIfNullOrEmpty(key);
            foreach (var c in key)
            {
                var ok = c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '-' or '_' or '.';
                if (!ok)
                {
                    throw new ArgumentException($"Metadata key '{key}' has a character outside [a-z0-9-_.].", nameof(key));
                }
            }
            return key.ToLowerInvariant();
        }
    }
}
