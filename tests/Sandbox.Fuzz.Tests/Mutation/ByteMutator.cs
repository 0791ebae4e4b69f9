namespace Sandbox.Fuzz.Tests.Mutation;

/// <summary>
/// Seeded byte mutations of a valid module, the kinds that reach a decoder's and validator's
/// corners: a flipped bit, a byte set to an edge value (0x00, 0x7f, 0x80, 0xff, an opcode prefix),
/// a byte inserted or deleted (shifting every length after it), a run duplicated, a tail cut off.
/// </summary>
public static class ByteMutator
{
    private static readonly byte[] EdgeBytes = [0x00, 0x01, 0x40, 0x7f, 0x80, 0xff, 0xfc, 0xfd, 0xfe, 0x0b, 0x6f, 0x70, 0x7b];

    public static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = new List<byte>(original);
        var count = 1 + random.Next(4);
        for (var i = 0; i < count && bytes.Count > 8; i++)
        {
            // Keep the 8-byte preamble mostly: a broken magic number is one uninteresting rejection.
            var at = 8 + random.Next(bytes.Count - 8);
            switch (random.Next(6))
            {
                case 0: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 1: bytes[at] = EdgeBytes[random.Next(EdgeBytes.Length)]; break;
                case 2: bytes.Insert(at, (byte)random.Next(256)); break;
                case 3: bytes.RemoveAt(at); break;
                case 4:
                {
                    var length = Math.Min(1 + random.Next(16), bytes.Count - at);
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
                }
                default:
                    if (random.Next(4) == 0) bytes.RemoveRange(at, bytes.Count - at);
                    else bytes[at] = (byte)random.Next(256);
                    break;
            }
        }
        return bytes.ToArray();
    }
}
