namespace QuantEdge.DeviceTest.Generation;

/// <summary>
/// The id nanoFramework gives a resource: a 16-bit hash of its name in the .resx, which the
/// generated Resources.Designer.cs enum must carry (the MetadataProcessor stores resources under
/// it, and ResourceUtility.GetObject looks them up by it). The algorithm is nanoFramework's
/// GenerateIdFromResourceName (shared/nanoframework-facts.md §1.6): two accumulators seeded with
/// (5381 &lt;&lt; 16) + 5381, characters at even positions into the first and odd ones into the
/// second (h = (h &lt;&lt; 5) + h ^ c), combined as h1 + h2 × 1566083941 and folded to 16 bits.
/// </summary>
public static class ResourceId
{
    public static short Of(string name)
    {
        unchecked
        {
            int even = (5381 << 16) + 5381;
            int odd = even;
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

            int hash = even + odd * 1566083941;
            return (short)((short)(hash >> 16) ^ (short)hash);
        }
    }
}
