namespace QuantEdge.Compiler.Deployment;

/// <summary>
/// The 16-bit id nanoFramework gives a resource: the enum value in the generated <c>Resources.Designer.cs</c>
/// and the key the device looks the resource up by. The MetadataProcessor computes the same function from the
/// resource name when it converts the assembly, so a Designer.cs whose enum values differ from it compiles but
/// finds nothing on the device. The function (nanoFramework's <c>GenerateIdFromResourceName</c>, described in
/// shared/nanoframework-facts.md §1.6): two djb2-style accumulators, one over the characters at even positions
/// and one over the odd ones, combined with a multiplier and folded to 16 bits.
/// </summary>
public static class NanoResourceId
{
    private const int Seed = (5381 << 16) + 5381;
    private const int OddMultiplier = 1566083941;

    public static short FromName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        unchecked
        {
            int even = Seed, odd = Seed;
            for (int i = 0; i < name.Length; i++)
            {
                if (i % 2 == 0)
                {
                    even = ((even << 5) + even) ^ name[i];
                }
                else
                {
                    odd = ((odd << 5) + odd) ^ name[i];
                }
            }

            int hash = even + odd * OddMultiplier;
            return (short)((short)(hash >> 16) ^ (short)hash);
        }
    }
}
