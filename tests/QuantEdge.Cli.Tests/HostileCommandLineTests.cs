using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using QuantEdge.Compiler.Onnx;

namespace QuantEdge.Cli.Tests;

/// <summary>
/// A table of command lines a new user might type, with wrong paths, bad files and outputs that would destroy
/// something. Each runs in a fresh folder holding the usual files (kit); the folder is hashed before and after
/// (contents, symbolic links and their targets) so that every case also proves that no input changed and that no
/// file appeared but the outputs the case expects. Exit 2 must be one "error:" line naming the culprit; exit 0
/// must leave stderr empty.
/// </summary>
public sealed class HostileCommandLineTests(HostileKit kit) : IClassFixture<HostileKit>, IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    /// <summary>One command line: <c>{d}</c> in an argument is the case's folder.</summary>
    public sealed record Case(string Name, string[] Args, int Exit, string[] Mentions)
    {
        /// <summary>Files (relative to the folder) that may appear; with exit 0 they must.</summary>
        public string[] Creates { get; init; } = [];

        /// <summary>Files whose content may change (a symbolic link's target written through).</summary>
        public string[] Changes { get; init; } = [];

        /// <summary>Extra setup in the folder (links, special files) before the run.</summary>
        public Action<string>? Setup { get; init; }

        /// <summary>What standard output must start with when an output is "-" (as bytes).</summary>
        public string? StdoutStarts { get; init; }

        public bool NeedsLinks { get; init; }

        public override string ToString() => Name;
    }

    private static Case Bad(string name, string args, params string[] mentions) => new(name, Split(args), 2, mentions);

    private static Case Good(string name, string args, params string[] creates) => new(name, Split(args), 0, []) { Creates = creates };

    /// <summary>Arguments separated by spaces; '' is an empty argument.</summary>
    private static string[] Split(string args) => args.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(a => a switch { "''" => "", "'_'" => " ", _ => a }).ToArray();

    private const string Q = "quantize {d}/m.onnx --calibration {d}/t.csv";
    private const string Fast = "--method minmax";
    private const string Pack = "node pack {d}/node.json --board lolin-d32 --model {d}/fw.qem";
    private const string Init = "node init --board lolin-d32 --model {d}/fw.qem";
    private const string Sim = "simulate --board lolin-d32 --model {d}/fw.qem --node {d}/node.json";

    public static IReadOnlyList<Case> Cases { get; } =
    [
        // The command line itself.
        Bad("unknown command", "frobnicate", "unknown command 'frobnicate'", "quantize, eval, run"),
        Bad("unknown node command", "node frob", "unknown command 'frob'", "pack, init"),
        Bad("node without a command", "node", "'quantedge node' needs a command: pack, init"),
        Bad("unknown option", $"{Q} --out {{d}}/o.qem --frob", "unknown option '--frob'"),
        Bad("stray argument", "inspect {d}/m.qem extra", "unexpected argument 'extra'"),
        Bad("samples not a number", $"{Q} --out {{d}}/o.qem --samples abc", "--samples 'abc': not a whole number"),
        Bad("samples zero", $"{Q} --out {{d}}/o.qem --samples 0", "--samples 0: must be at least 1"),
        Bad("epochs not a number", "train --data {d}/t.csv --epochs x --out {d}/o.onnx", "--epochs 'x': not a whole number"),
        Bad("seed a fraction", "train --data {d}/t.csv --seed 1.5 --out {d}/o.onnx", "--seed '1.5': not a whole number"),
        Bad("speed NaN", $"{Sim} --trace {{d}}/trace.csv --speed nan", "--speed 'nan': not a number"),
        Bad("speed negative", $"{Sim} --trace {{d}}/trace.csv --speed -1", "--speed -1"),
        Bad("speed too slow", $"{Sim} --trace {{d}}/trace.csv --speed 1e-300", "--speed 1E-300"),
        Bad("unknown method", $"{Q} --out {{d}}/o.qem --method median", "--method 'median': choose one of auto, minmax, percentile, mse"),
        Bad("internal method", $"{Q} --out {{d}}/o.qem --method decision", "--method 'decision'"),
        Good("method in capitals", $"{Q} --out {{d}}/o.qem --method MINMAX", "o.qem"),
        Good("method as help shows its default", $"{Q} --out {{d}}/o.qem --method Auto", "o.qem"),
        Bad("unknown arithmetic", "export {d}/m.qem --onnx-qdq {d}/q.onnx --arithmetic exact", "--arithmetic 'exact': choose one of device, float"),
        Good("arithmetic in capitals", "export {d}/m.qem --onnx-qdq {d}/q.onnx --arithmetic Float", "q.onnx"),
        Bad("missing required option", $"{Q}", "--out", "is required"),

        // quantize: outputs against inputs and each other.
        Bad("out is the model", $"{Q} --out {{d}}/m.onnx", "--out is the input file", "m.onnx"),
        Bad("out is the calibration data", $"{Q} --out {{d}}/t.csv", "--out is the input file", "t.csv"),
        Bad("out is the model through ..", $"{Q} --out {{d}}/sub/../m.onnx", "--out is the input file"),
        Bad("out is the model through a symbolic link", $"{Q} --out {{d}}/link-m.onnx", "--out is the input file") with { NeedsLinks = true },
        Bad("out is a hard link of the model", $"{Q} --out {{d}}/hard-m.onnx", "--out is the input file") with { NeedsLinks = true },
        Bad("model given through a link, out the file itself", "quantize {d}/link-m.onnx --calibration {d}/t.csv --out {d}/m.onnx", "--out is the input file") with { NeedsLinks = true },
        Bad("report is the blob", $"{Q} --out {{d}}/x --report {{d}}/x", "--report is the same file as --out"),
        Bad("report is the blob through ..", $"{Q} --out {{d}}/o.qem --report {{d}}/sub/../o.qem", "--report is the same file as --out"),
        Bad("report is the model", $"{Q} --out {{d}}/o.qem --report {{d}}/m.onnx", "--report is the input file"),
        Bad("report in a missing folder leaves no blob", $"{Q} --out {{d}}/o.qem --report {{d}}/missing/r.html", "missing/r.html", "does not exist"),
        Bad("out empty", $"{Q} --out ''", "--out: the value is empty"),
        Bad("out blank", $"{Q} --out '_'", "--out: the value is empty"),
        Bad("out is a folder", $"{Q} --out {{d}}/sub", "sub: is a folder; --out takes a file name"),
        Bad("out ends with a slash", $"{Q} --out {{d}}/sub/", "is a folder path; --out takes a file name"),
        Bad("out is dot", $"{Q} --out {{d}}/.", "is a folder path"),
        Bad("out in a missing folder", $"{Q} --out {{d}}/missing/o.qem", "folder", "missing", "does not exist"),
        Bad("out under a file", $"{Q} --out {{d}}/t.csv/o.qem", "is not a folder"),
        Good("out is a dangling symbolic link: written through", $"{Q} {Fast} --out {{d}}/dangling.qem", "made.qem") with { NeedsLinks = true },
        new Case("out is a symbolic link to a file: written through", Split($"{Q} {Fast} --out {{d}}/link-old.qem"), 0, []) { Changes = ["old.qem"], NeedsLinks = true },
        Bad("out is a loop of links", $"{Q} --out {{d}}/loop.qem", "loop.qem", "symbolic link") with { NeedsLinks = true },
        Good("out is /dev/null", $"{Q} {Fast} --out /dev/null"),
        new Case("out is stdout", Split($"{Q} {Fast} --out -"), 0, []) { StdoutStarts = "QEM1" },
        Bad("two outputs on stdout", $"{Q} --out - --report -", "both would go to standard output"),

        // quantize: bad models and data.
        Bad("NaN weight", "quantize {d}/nan.onnx --calibration {d}/t.csv --out {d}/o.qem", "nan.onnx", "Initializer 'W': element 5 [1, 2] is NaN"),
        Bad("float64 weight past float32", "quantize {d}/double.onnx --calibration {d}/t.csv --out {d}/o.qem", "Initializer 'W': element 7 [2, 1] is +infinity in float32"),
        Bad("infinite bias", "quantize {d}/infbias.onnx --calibration {d}/t.csv --out {d}/o.qem", "Initializer 'B': element 1 is +infinity"),
        Bad("bias too large for int8", "quantize {d}/hugebias.onnx --calibration {d}/t.csv --out {d}/o.qem " + Fast, "hugebias.onnx", "too large"),
        Bad("20,000-node chain", "quantize {d}/chain20000.onnx --calibration {d}/t.csv --out {d}/o.qem", "The graph has 20,000 nodes; at most 4,096"),
        Bad("4,000 device ops", "quantize {d}/chain4000.onnx --calibration {d}/t.csv --out {d}/o.qem", "4,000 device ops", "at most 1,024 ops"),
        Bad("8192x8192 conv input and 13 columns", "quantize {d}/bigconv.onnx --calibration {d}/c13.csv --out {d}/o.qem", "holds 67,108,864 elements", "at most 16,777,216"),
        Bad("model past the largest board's RAM", "quantize {d}/ram.onnx --calibration {d}/t.csv --out {d}/o.qem", "ram.onnx", "of RAM on a device", "8 MB"),
        Bad("model past the host's memory", "quantize {d}/host.onnx --calibration {d}/t.csv --out {d}/o.qem", "host.onnx", "of memory on this computer", "1 GB"),
        Bad("ONNX file past the limit", "quantize {d}/huge.onnx --calibration {d}/t.csv --out {d}/o.qem", "huge.onnx", "an ONNX model may be at most 64 MB"),
        Bad("garbage ONNX", "quantize {d}/garbage.onnx --calibration {d}/t.csv --out {d}/o.qem", "garbage.onnx", "not a readable ONNX model"),
        Bad("unsupported op", "quantize {d}/sine.onnx --calibration {d}/t.csv --out {d}/o.qem", "sine.onnx", "'Sin' is not supported"),
        Bad("two outputs", "quantize {d}/two-out.onnx --calibration {d}/t.csv --out {d}/o.qem", "one input and one output"),
        Bad("model missing", "quantize {d}/none.onnx --calibration {d}/t.csv --out {d}/o.qem", "none.onnx: file not found"),
        Bad("model is a folder", "quantize {d}/sub --calibration {d}/t.csv --out {d}/o.qem", "sub: is a folder, not a file"),
        Bad("calibration is a folder", "quantize {d}/m.onnx --calibration {d}/sub --out {d}/o.qem", "sub: is a folder, not a CSV file"),
        Bad("CSV value of 3e38", "quantize {d}/m.onnx --calibration {d}/big.csv --out {d}/o.qem", "big.csv:2", "is infinite on this row"),
        Bad("CSV value past float32", "quantize {d}/m.onnx --calibration {d}/inf.csv --out {d}/o.qem", "inf.csv:2: column 1 ('f0'): '1e39' is outside float32's range"),
        Bad("CSV NaN", "quantize {d}/m.onnx --calibration {d}/nan.csv --out {d}/o.qem", "nan.csv:2: column 2 ('f1'): 'NaN' is not a number"),
        Bad("two columns named alike", "quantize {d}/m.onnx --calibration {d}/dup.csv --out {d}/o.qem", "dup.csv:1: columns 1 and 2 are both named 'f0'"),
        Bad("a column without a name", "quantize {d}/m.onnx --calibration {d}/noname.csv --out {d}/o.qem", "noname.csv:1: column 2 of the header has no name"),
        Bad("label past the classes in the report", $"{Q.Replace("t.csv", "l7.csv")} --out {{d}}/o.qem --report {{d}}/r.html", "l7.csv:3: column 5 ('label'): label 7 is not a class of", "m.onnx"),
        Bad("ragged row", "quantize {d}/m.onnx --calibration {d}/ragged.csv --out {d}/o.qem", "ragged.csv:3: 3 columns where the header has 5"),
        Bad("text in a number column", "quantize {d}/m.onnx --calibration {d}/text.csv --out {d}/o.qem", "text.csv:3: column 2 ('f1'): 'abc' is not a number"),
        Bad("empty CSV", "quantize {d}/m.onnx --calibration {d}/empty.csv --out {d}/o.qem", "empty.csv: empty file"),
        Bad("header only", "quantize {d}/m.onnx --calibration {d}/header.csv --out {d}/o.qem", "header.csv: no data rows"),
        Bad("CSV past the limit", "quantize {d}/m.onnx --calibration {d}/huge.csv --out {d}/o.qem", "huge.csv", "a CSV file may be at most 256 MB"),
        Bad("fewer columns than inputs", "quantize {d}/m.onnx --calibration {d}/narrow.csv --out {d}/o.qem", "narrow.csv: 3 feature columns", "4 inputs"),
        Bad("report without labels", $"{Q.Replace("t.csv", "wide.csv")} --out {{d}}/o.qem --report {{d}}/r.html", "wide.csv", "no label column 'label'"),
        Bad("class names of the wrong count", $"{Q} --out {{d}}/o.qem --classes a,b", "--classes: 2 names", "3 outputs"),
        Good("quantize with a report", $"{Q} {Fast} --out {{d}}/o.qem --report {{d}}/r.html", "o.qem", "r.html"),

        // eval, run, inspect.
        Bad("eval: label past the classes", "eval {d}/m.qem --data {d}/l7.csv", "l7.csv:3: column 5 ('label'): label 7 is not a class of", "m.qem", "which has 3"),
        Bad("run: label past the classes", "run {d}/m.qem --data {d}/l7.csv", "l7.csv:3", "label 7 is not a class of"),
        Bad("eval: garbage blob", "eval {d}/garbage.qem --data {d}/v.csv", "garbage.qem", "bad magic"),
        Bad("eval: truncated blob", "eval {d}/trunc.qem --data {d}/v.csv", "trunc.qem", "truncated"),
        Bad("eval: NaN reference", "eval {d}/m.qem --data {d}/v.csv --reference {d}/nan.onnx", "nan.onnx", "is NaN"),
        Bad("eval: reference overflows on a row", "eval {d}/m.qem --data {d}/big.csv --reference {d}/m.onnx", "big.csv:2", "infinite on this row"),
        Bad("eval: no label column", "eval {d}/m.qem --data {d}/wide.csv", "wide.csv", "no label column"),
        Bad("eval: model is a folder", "eval {d}/sub --data {d}/v.csv", "sub: is a folder, not a file"),
        Bad("eval: data empty path", "eval {d}/m.qem --data ''", "--data: the value is empty"),
        Bad("quantize: empty model", "quantize '' --calibration {d}/t.csv --out {d}/o.qem", "MODEL: the value is empty"),
        Bad("eval: fewer columns", "eval {d}/m.qem --data {d}/narrow.csv", "narrow.csv: 3 feature columns", "m.qem takes 4 inputs"),
        Good("eval with a reference", "eval {d}/m.qem --data {d}/v.csv --reference {d}/m.onnx --json"),
        Bad("run: more columns than inputs", "run {d}/m.qem --data {d}/wide.csv", "wide.csv: 5 feature columns", "4 inputs"),
        Good("run: 3e38 saturates on the device", "run {d}/m.qem --data {d}/big.csv"),
        Bad("inspect: flipped blob", "inspect {d}/flipped.qem", "flipped.qem", "checksum"),
        Bad("inspect: blob past the limit", "inspect {d}/huge.qem", "huge.qem", "a model blob may be at most 16 MB"),
        Bad("inspect: missing", "inspect {d}/none.qem", "none.qem: file not found"),

        // train.
        Bad("hidden 100,000,000", "train --data {d}/t.csv --hidden 100000000 --out {d}/o.onnx", "--hidden '100000000': a layer of 100,000,000 units; a device layer has at most 65,535"),
        Bad("hidden past the board's RAM", "train --data {d}/t.csv --hidden 60000,60000 --out {d}/o.onnx", "--hidden 60000,60000", "3,600,540,003 parameters", "8 MB of RAM"),
        Bad("hidden 0", "train --data {d}/t.csv --hidden 0 --out {d}/o.onnx", "--hidden '0': a layer needs at least 1 unit", "'none'"),
        Bad("hidden negative", "train --data {d}/t.csv --hidden -3 --out {d}/o.onnx", "--hidden '-3'"),
        Bad("hidden not numbers", "train --data {d}/t.csv --hidden 8,x --out {d}/o.onnx", "--hidden '8,x'"),
        Bad("one stray label 100000", "train --data {d}/stray.csv --out {d}/o.onnx", "stray.csv:", "label 100000 makes 100,001 classes", "no rows"),
        Bad("a class without rows", "train --data {d}/gap.csv --epochs 2 --out {d}/o.onnx", "gap.csv:", "class 1 has no rows"),
        Bad("one class", "train --data {d}/oneclass.csv --out {d}/o.onnx", "oneclass.csv", "at least two classes"),
        Bad("epochs 0", "train --data {d}/t.csv --epochs 0 --out {d}/o.onnx", "--epochs 0"),
        Bad("train: out is the data", "train --data {d}/t.csv --out {d}/t.csv", "--out is the input file"),
        Bad("train: out is the test file through ..", "train --data {d}/t.csv --test {d}/v.csv --out {d}/sub/../v.csv", "--out is the input file", "v.csv"),
        Bad("train: test labels past the classes", "train --data {d}/t.csv --test {d}/l7.csv --out {d}/o.onnx", "l7.csv:3", "label 7 is not a class of a model trained on"),
        Bad("train: test narrower", "train --data {d}/t.csv --test {d}/narrow.csv --out {d}/o.onnx", "narrow.csv: 3 feature columns"),
        new Case("train to stdout", Split("train --data {d}/t.csv --hidden 4 --epochs 2 --out -"), 0, []) { StdoutStarts = "\b" },

        // export.
        Bad("export over the blob", "export {d}/m.qem --onnx-qdq {d}/m.qem", "--onnx-qdq is the input file"),
        Bad("export over the blob through a link", "export {d}/m.qem --onnx-qdq {d}/link-m.qem", "--onnx-qdq is the input file") with { NeedsLinks = true },
        Bad("export two outputs to one file", "export {d}/m.qem --onnx-qdq {d}/a.onnx --deploy-json {d}/a.onnx", "--deploy-json is the same file as --onnx-qdq"),
        Bad("export nothing", "export {d}/m.qem", "nothing to export"),
        Bad("export node without a target", "export {d}/m.qem --node {d}/node.bin --onnx-qdq {d}/q.onnx", "--node goes with --resx or --deploy-json"),
        Bad("export resx to a missing folder", "export {d}/m.qem --resx {d}/missing", "missing: folder does not exist (--resx)"),
        Bad("export resx to a file", "export {d}/m.qem --resx {d}/t.csv", "t.csv: is a file, not a folder"),
        Bad("export resx over the model it reads", "export {d}/proj/Resources/model.qem --resx {d}/proj", "--resx is the input file", "model.qem"),
        Bad("export resx and a missing folder: nothing written", "export {d}/m.qem --resx {d}/proj --onnx-qdq {d}/missing/q.onnx", "missing/q.onnx", "does not exist"),
        Good("export resx", "export {d}/m.qem --resx {d}/empty-proj", "empty-proj/Resources.resx", "empty-proj/Resources.Designer.cs", "empty-proj/Resources/model.qem"),
        Bad("export a node.json as node.bin", "export {d}/m.qem --node {d}/node.json --deploy-json {d}/d.json", "node.json: not a node.bin"),
        Bad("export deploy JSON over node.bin", "export {d}/m.qem --node {d}/node.bin --deploy-json {d}/node.bin", "--deploy-json is the input file"),
        new Case("export to stdout", Split("export {d}/m.qem --onnx-qdq -"), 0, []) { StdoutStarts = "\b" },
        Bad("export to a folder named -", "export {d}/m.qem --resx -", "--resx -", "standard output cannot take it"),

        // node pack, node init.
        Bad("pack over node.json", $"{Pack} --out {{d}}/node.json", "--out is the input file"),
        Bad("pack over the model", $"{Pack} --out {{d}}/fw.qem", "--out is the input file"),
        Bad("pack over the board file", "node pack {d}/node.json --board {d}/board.json --model {d}/fw.qem --out {d}/board.json", "--out is the input file", "board.json"),
        Bad("pack a node file past the limit", "node pack {d}/huge.json --board lolin-d32 --model {d}/fw.qem --out {d}/o.bin", "huge.json", "at most 1 MB"),
        Bad("pack with a garbage model", "node pack {d}/node.json --board lolin-d32 --model {d}/garbage.qem --out {d}/o.bin", "garbage.qem", "bad magic"),
        Bad("pack to a folder", $"{Pack} --out {{d}}/sub", "is a folder"),
        new Case("pack to stdout", Split($"{Pack} --out -"), 0, []) { StdoutStarts = "QEN1" },
        Bad("init over an existing file", $"{Init} --out {{d}}/node.json", "node.json: exists; choose another --out or add --force"),
        Bad("init --force over the model", $"{Init} --out {{d}}/fw.qem --force", "--out is the input file"),
        new Case("init to stdout", Split($"{Init} --out -"), 0, []) { StdoutStarts = "{" },

        // simulate.
        Bad("trace with a column twice", $"{Sim} --trace {{d}}/trace-dup.csv", "trace-dup.csv:1: columns 2 and 3 are both named 'adc0'"),
        Bad("trace not integers", $"{Sim} --trace {{d}}/trace-text.csv", "trace-text.csv", "not a 32-bit integer"),
        Bad("trace without the node's channels", $"{Sim} --trace {{d}}/trace-missing.csv", "trace-missing.csv: no column adc0"),
        Bad("trace of fifty days", $"{Sim} --trace {{d}}/trace-long.csv", "trace-long.csv", "a simulation makes at most 100,000"),
        Good("simulate", $"{Sim} --trace {{d}}/trace.csv"),

        // demo.
        Bad("demo into a file", "demo --out {d}/t.csv", "t.csv: is a file, not a folder"),
        Bad("demo into an empty path", "demo --out ''", "--out: the value is empty"),
        Bad("demo into a missing parent", "demo --out {d}/missing/demo", "cannot make this folder", "does not exist"),
        Bad("demo to stdout", "demo --out -", "standard output cannot take it"),
    ];

    public static TheoryData<string> Names() => new(Cases.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void HostileCommandLine(string name)
    {
        Case c = Cases.Single(x => x.Name == name);
        if (c.NeedsLinks && !OperatingSystem.IsLinux())
        {
            return; // hard links and links made by the setup need Linux here
        }

        kit.Fill(folder.Path, c.Args);
        c.Setup?.Invoke(folder.Path);
        Dictionary<string, string> before = Snapshot(folder.Path);
        string[] args = c.Args.Select(a => a.Replace("{d}", folder.Path, StringComparison.Ordinal)).ToArray();

        CliResult result = Cli.Run(args);

        Assert.True(result.Exit == c.Exit, $"exit {result.Exit}, expected {c.Exit}; stderr: {result.Err}");
        if (c.Exit == 2)
        {
            string line = Assert.Single(result.ErrLines);
            Assert.StartsWith("error: ", line);
            foreach (string mention in c.Mentions)
            {
                string expected = mention.Replace("{d}", folder.Path, StringComparison.Ordinal);
                Assert.True(line.Contains(expected, StringComparison.Ordinal), $"'{expected}' not in: {line}");
            }

            Assert.Equal("", result.Out);
        }
        else
        {
            Assert.DoesNotContain("error", result.Err);
        }

        if (c.StdoutStarts is { } start)
        {
            byte[] expected = Encoding.UTF8.GetBytes(start);
            Assert.True(result.OutBytes.AsSpan().StartsWith(expected), $"stdout starts with {Convert.ToHexString(result.OutBytes.Take(8).ToArray())}");
        }

        Dictionary<string, string> after = Snapshot(folder.Path);
        foreach ((string path, string state) in before)
        {
            Assert.True(after.TryGetValue(path, out string? now), $"{path} disappeared");
            if (!c.Changes.Contains(path))
            {
                Assert.True(state == now, $"{path} changed: {state} -> {now}");
            }
        }

        string[] appeared = after.Keys.Except(before.Keys).Order(StringComparer.Ordinal).ToArray();
        string[] allowed = c.Exit == 0 ? c.Creates.SelectMany(Ancestors).Distinct().ToArray() : [];
        Assert.True(appeared.All(allowed.Contains), $"unexpected files: {string.Join(", ", appeared.Except(allowed))}");
        if (c.Exit == 0)
        {
            Assert.All(c.Creates, f => Assert.Contains(f, appeared));
        }
    }

    /// <summary>A file and the folders it is in, as snapshot keys ("proj/Resources/model.qem", "proj/Resources").</summary>
    private static IEnumerable<string> Ancestors(string file)
    {
        for (string? p = file; !string.IsNullOrEmpty(p); p = Path.GetDirectoryName(p))
        {
            yield return p.Replace('\\', '/');
        }
    }

    /// <summary>Every entry under <paramref name="root"/>: a folder, a link and its target, or a file's SHA-256 (sparse files by length).</summary>
    private static Dictionary<string, string> Snapshot(string root)
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string path in Directory.EnumerateFileSystemEntries(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            var info = new FileInfo(path);
            string key = Path.GetRelativePath(root, path).Replace('\\', '/');
            entries[key] = info.LinkTarget is { } target ? "link:" + target
                : Directory.Exists(path) ? "folder"
                : info.Length > 8 << 20 ? "large:" + info.Length
                : "file:" + Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
        }

        return entries;
    }
}

/// <summary>
/// The files the hostile command lines use, made once: an iris model and blob (trained and quantized through
/// the CLI), its data, the battery node of samples/, and every bad file by name. <see cref="Fill"/> puts the
/// usual ones and the ones a command line names into a case's folder.
/// </summary>
public sealed class HostileKit : IDisposable
{
    private readonly TempFolder store = new();

    private static readonly string[] Usual = ["m.onnx", "m.qem", "t.csv", "v.csv", "fw.qem", "node.json", "node.bin", "trace.csv", "board.json"];

    public HostileKit()
    {
        string iris = Cli.Data("iris_train.csv");
        File.Copy(iris, store.File("t.csv"));
        File.Copy(Cli.Data("iris_test.csv"), store.File("v.csv"));
        Cli.Ok("train", "--data", iris, "--hidden", "8", "--epochs", "60", "--out", store.File("m.onnx"));
        Cli.Ok("quantize", store.File("m.onnx"), "--calibration", iris, "--out", store.File("m.qem"), "--classes", "setosa,versicolor,virginica");
        string repo(params string[] parts) => Path.Combine([Repository.Root, .. parts]);
        File.Copy(repo("src", "QuantEdge.Firmware", "Resources", "model.qem"), store.File("fw.qem"));
        File.Copy(repo("samples", "battery-node", "node.json"), store.File("node.json"));
        File.Copy(repo("samples", "battery-node", "trace.csv"), store.File("trace.csv"));
        File.Copy(repo("boards", "lolin-d32.json"), store.File("board.json"));
        CliResult packed = Cli.Run("node", "pack", store.File("node.json"), "--board", "lolin-d32", "--model", store.File("fw.qem"), "--out", store.File("node.bin"));
        Assert.Equal(0, packed.Exit);

        string header = "f0,f1,f2,f3,label\n";
        string[] irisRows = File.ReadAllLines(iris).Skip(1).ToArray();
        Text("big.csv", header + "3e38,1,1,1,0\n1,1,1,1,1\n");
        Text("inf.csv", header + "1e39,1,1,1,0\n");
        Text("nan.csv", header + "1,NaN,1,1,0\n");
        Text("dup.csv", "f0,f0,f2,f3,label\n1,1,1,1,0\n");
        Text("noname.csv", "f0,,f2,f3,label\n1,1,1,1,0\n");
        Text("l7.csv", header + "5.1,3.5,1.4,0.2,0\n5.9,3.0,5.1,1.8,7\n");
        Text("ragged.csv", header + "1,2,3,4,0\n1,2,3\n");
        Text("text.csv", header + "1,2,3,4,0\n1,abc,3,4,1\n");
        Text("empty.csv", "");
        Text("header.csv", header);
        Text("narrow.csv", "f0,f1,f2,label\n1,2,3,0\n");
        Text("wide.csv", "a,b,c,d,e\n1,2,3,4,5\n");
        Text("stray.csv", header + string.Join('\n', irisRows) + "\n1,1,1,1,100000\n");
        Text("gap.csv", header + "1,1,1,1,0\n2,2,2,2,2\n");
        Text("oneclass.csv", header + "1,1,1,1,0\n2,2,2,2,0\n");
        Text("c13.csv", string.Join(',', Enumerable.Range(0, 12).Select(i => $"p{i}")) + ",label\n" + string.Join(',', Enumerable.Range(0, 12)) + ",0\n");
        Text("trace-dup.csv", "time_ms,adc0,adc0\n0,1,2\n");
        Text("trace-text.csv", "time_ms,adc0,adc3,adc4,adc5\n0,1,x,3,4\n");
        Text("trace-missing.csv", "time_ms,gpio2\n0,1\n1000,0\n");
        Text("trace-long.csv", "time_ms,adc0,adc3,adc4,adc5\n0,1,2,3,4\n4294967295,1,2,3,4\n");

        byte[] blob = File.ReadAllBytes(store.File("m.qem"));
        File.WriteAllBytes(store.File("garbage.qem"), Enumerable.Range(0, blob.Length).Select(i => (byte)(i * 13 + 5)).ToArray());
        File.WriteAllBytes(store.File("trunc.qem"), blob[..(blob.Length / 2)]);
        File.WriteAllBytes(store.File("flipped.qem"), blob.Select((b, i) => i == blob.Length - 3 ? (byte)(b ^ 0x10) : b).ToArray());
        File.WriteAllBytes(store.File("garbage.onnx"), Enumerable.Range(0, 300).Select(i => (byte)(i * 37 + 11)).ToArray());
        Directory.CreateDirectory(store.File("proj/Resources"));
        File.Copy(store.File("m.qem"), store.File("proj/Resources/model.qem"));

        float[] w = Enumerable.Range(0, 12).Select(i => 0.1f * i).ToArray();
        w[5] = float.NaN;
        Model("nan.onnx", b => b.Input("x", "N", 4).Initializer("W", [4, 3], w).Initializer("B", [3], [0f, 0f, 0f]).Node("Gemm", ["x", "W", "B"], ["y"], name: "fc").Output("y", "N", 3));
        float[] w2 = Enumerable.Range(0, 12).Select(i => 0.1f * i).ToArray();
        Model("infbias.onnx", b => b.Input("x", "N", 4).Initializer("W", [4, 3], w2).Initializer("B", [3], [0f, float.PositiveInfinity, 0f]).Node("Gemm", ["x", "W", "B"], ["y"], name: "fc").Output("y", "N", 3));
        var doubles = global::Onnx.ModelProto.Parser.ParseFrom(new OnnxModelBuilder(13).Input("x", "N", 4).Initializer("W", [4, 3], w2).Initializer("B", [3], [0f, 0f, 0f])
            .Node("Gemm", ["x", "W", "B"], ["y"], name: "fc").Output("y", "N", 3).ToBytes());
        global::Onnx.TensorProto weights = doubles.Graph.Initializer.Single(t => t.Name == "W");
        weights.DataType = (int)global::Onnx.TensorProto.Types.DataType.Double;
        weights.RawData = Google.Protobuf.ByteString.CopyFrom(w2.Select((v, i) => i == 7 ? 1e300 : v).SelectMany(BitConverter.GetBytes).ToArray());
        File.WriteAllBytes(store.File("double.onnx"), Google.Protobuf.MessageExtensions.ToByteArray(doubles));
        Model("hugebias.onnx", b => b.Input("x", "N", 4).Initializer("W", [4, 3], w2).Initializer("B", [3], [0f, 3e38f, 0f]).Node("Gemm", ["x", "W", "B"], ["y"], name: "fc").Output("y", "N", 3));
        Chain("chain20000.onnx", 20_000);
        Chain("chain4000.onnx", 4_000);
        Model("bigconv.onnx", b => Conv(b, 8192));
        Model("ram.onnx", b => Conv(b, 2500));
        Model("host.onnx", b => b.Input("x", "N", 1, 2000, 2000)
            .Node("Relu", ["x"], ["a"]).Node("Relu", ["a"], ["b"]).Node("Relu", ["b"], ["c"]).Node("Relu", ["c"], ["d"])
            .Node("GlobalAveragePool", ["d"], ["g"]).Node("Flatten", ["g"], ["y"]).Output("y", "N", 1));
        Model("sine.onnx", b => b.Input("x", "N", 4).Node("Sin", ["x"], ["y"], name: "wave").Output("y", "N", 4));
        Model("two-out.onnx", b => b.Input("x", "N", 4).Node("Relu", ["x"], ["a"]).Node("Sigmoid", ["x"], ["b"]).Output("a", "N", 4).Output("b", "N", 4));
    }

    private static OnnxModelBuilder Conv(OnnxModelBuilder b, int side) => b.Input("x", "N", 1, side, side)
        .Initializer("W", [2, 1, 3, 3], Enumerable.Repeat(0.1f, 18).ToArray())
        .Node("Conv", ["x", "W"], ["c"], name: "conv").Node("GlobalAveragePool", ["c"], ["g"]).Node("Flatten", ["g"], ["y"]).Output("y", "N", 2);

    private void Chain(string name, int length) => Model(name, b =>
    {
        b.Input("x", "N", 4);
        for (int i = 0; i < length; i++)
        {
            b.Node("Relu", [i == 0 ? "x" : $"v{i - 1}"], [$"v{i}"], name: $"r{i}");
        }

        return b.Output($"v{length - 1}", "N", 4);
    });

    private void Model(string name, Func<OnnxModelBuilder, OnnxModelBuilder> build) => File.WriteAllBytes(store.File(name), build(new OnnxModelBuilder(13)).ToBytes());

    private void Text(string name, string text) => File.WriteAllText(store.File(name), text);

    /// <summary>The usual files, every kit file a command line names, and the special entries it names (links, large files, folders).</summary>
    public void Fill(string folder, string[] args)
    {
        Directory.CreateDirectory(Path.Combine(folder, "sub"));
        IEnumerable<string> named = args.Where(a => a.StartsWith("{d}/", StringComparison.Ordinal)).Select(a => a[4..].Split('/')[0]);
        foreach (string name in Usual.Concat(named).Distinct().Where(n => n is not ("." or "..")))
        {
            string source = store.File(name), target = Path.Combine(folder, name);
            if (Directory.Exists(source))
            {
                CopyFolder(source, target);
            }
            else if (File.Exists(source))
            {
                File.Copy(source, target);
            }
            else
            {
                Special(folder, name);
            }
        }
    }

    private static void Special(string folder, string name)
    {
        string path = Path.Combine(folder, name);
        switch (name)
        {
            case "empty-proj":
                Directory.CreateDirectory(path);
                break;
            case "link-m.onnx":
                File.CreateSymbolicLink(path, "m.onnx");
                break;
            case "link-m.qem":
                File.CreateSymbolicLink(path, "m.qem");
                break;
            case "hard-m.onnx":
                Assert.Equal(0, HardLink(Path.Combine(folder, "m.onnx"), path));
                break;
            case "dangling.qem":
                File.CreateSymbolicLink(path, "made.qem");
                break;
            case "link-old.qem":
                File.WriteAllText(Path.Combine(folder, "old.qem"), "old");
                File.CreateSymbolicLink(path, "old.qem");
                break;
            case "loop.qem":
                File.CreateSymbolicLink(path, "loop2.qem");
                File.CreateSymbolicLink(Path.Combine(folder, "loop2.qem"), "loop.qem");
                break;
            case "huge.onnx":
                Sparse(path, HostLimitsOf.Onnx + 1);
                break;
            case "huge.csv":
                Sparse(path, HostLimitsOf.Csv + 1);
                break;
            case "huge.qem":
                Sparse(path, HostLimitsOf.Blob + 1);
                break;
            case "huge.json":
                Sparse(path, HostLimitsOf.Config + 1);
                break;
        }
    }

    /// <summary>A file of <paramref name="length"/> bytes that takes no room (its length is what the limits check).</summary>
    private static void Sparse(string path, long length)
    {
        using var stream = new FileStream(path, FileMode.CreateNew);
        stream.SetLength(length);
    }

    private static class HostLimitsOf
    {
        public const long Onnx = Compiler.HostLimits.MaxOnnxBytes, Csv = Compiler.HostLimits.MaxCsvBytes, Blob = Compiler.HostLimits.MaxBlobBytes, Config = Compiler.HostLimits.MaxConfigBytes;
    }

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int HardLink(string existing, string created);

    private static void CopyFolder(string source, string target)
    {
        foreach (string file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            string to = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
    }

    public void Dispose() => store.Dispose();
}
