// Splits data/{iris,glass,ionosphere}.csv into <name>_train.csv and <name>_test.csv: stratified by
// the label column (the last), 30% of each class to the test file, chosen by a fixed-seed shuffle,
// both files keeping the original row order and text. Run from the repository root:
//   dotnet run tools/split-datasets/split-datasets.cs
// The same files come out every time: the shuffle uses SplitMix64, not System.Random, so no .NET
// version can change it.

const double TestFraction = 0.3;
const ulong Seed = 20240601;
string[] names = ["iris", "glass", "ionosphere"];

foreach (string name in names)
{
    string[] lines = File.ReadAllLines(Path.Combine("data", name + ".csv")).Where(l => l.Length > 0).ToArray();
    string header = lines[0];
    string[] rows = lines[1..];
    var test = new HashSet<int>();
    ulong state = Seed;
    foreach (var group in rows.Select((row, index) => (Label: row[(row.LastIndexOf(',') + 1)..], Index: index)).GroupBy(r => r.Label).OrderBy(g => g.Key, StringComparer.Ordinal))
    {
        int[] members = group.Select(r => r.Index).ToArray();
        for (int i = members.Length - 1; i > 0; i--)
        {
            int j = (int)(Next(ref state) % (ulong)(i + 1));
            (members[i], members[j]) = (members[j], members[i]);
        }

        test.UnionWith(members.Take((int)Math.Round(members.Length * TestFraction, MidpointRounding.AwayFromZero)));
    }

    Write(name + "_train.csv", rows.Where((_, i) => !test.Contains(i)));
    Write(name + "_test.csv", rows.Where((_, i) => test.Contains(i)));
    Console.WriteLine($"{name}: {rows.Length - test.Count} train, {test.Count} test");

    void Write(string file, IEnumerable<string> selected) =>
        File.WriteAllText(Path.Combine("data", file), string.Join("\n", selected.Prepend(header)) + "\n");
}

static ulong Next(ref ulong state)
{
    ulong z = state += 0x9E3779B97F4A7C15UL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
    return z ^ (z >> 31);
}
