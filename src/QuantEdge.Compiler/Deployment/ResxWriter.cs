using System.Security;
using System.Text;
using System.Text.RegularExpressions;

namespace QuantEdge.Compiler.Deployment;

/// <summary>A file to embed in a nanoFramework assembly as a binary (<c>byte[]</c>) resource.</summary>
/// <param name="Name">The resource name: the enum member in <c>Resources.BinaryResources</c>, and what its id is hashed from.</param>
/// <param name="FileName">The file's name in the project's <c>Resources</c> folder, which the .resx references.</param>
/// <param name="Bytes">Its content.</param>
public sealed record BinaryResource(string Name, string FileName, byte[] Bytes)
{
    /// <summary>
    /// The path the .resx gives, relative to it, with '\' separators: <c>Resources\FileName</c>, or a file
    /// elsewhere in the repository that several projects embed (the device benchmark embeds the device tests' blobs).
    /// </summary>
    public string ResxPath { get; init; } = $@"{ResxWriter.ResourcesFolder}\{FileName}";
}

/// <summary>A file to write, relative to the project folder (with '/' separators).</summary>
public sealed record ProjectFile(string RelativePath, byte[] Bytes);

/// <summary>
/// Writes what a nanoFramework project needs to embed binary files as resources: <c>Resources.resx</c> with a
/// <c>ResXFileRef</c> of type <c>System.Byte[]</c> per file, the files themselves under <c>Resources/</c>, and the
/// <c>Resources.Designer.cs</c> that Visual Studio's <c>nFResXFileCodeGenerator</c> writes for that .resx
/// (shared/nanoframework-facts.md §1.6). The build only converts the .resx; the Designer.cs comes from the
/// design-time generator, which does not run on Linux or in VS Code, so it is written here the way that
/// generator writes it: its CodeDom tree (nanoFramework's <c>ProcessResourceFiles.CreateStronglyTypedResources</c>)
/// printed by the .NET Framework C# code generator with blank lines between members off and C bracing, CRLF line
/// ends. Regenerating it in Visual Studio therefore changes nothing.
/// </summary>
public static class ResxWriter
{
    public const string ResxFileName = "Resources.resx";
    public const string DesignerFileName = "Resources.Designer.cs";
    public const string ResourcesFolder = "Resources";

    /// <summary>The class the generator names after the .resx file; the resource base name is "RootNamespace.Resources".</summary>
    private const string ClassName = "Resources";

    private const string ByteArrayType = "System.Byte[], mscorlib, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089";

    private static readonly Regex Identifier = new("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant);

    private static readonly Regex FileName = new(@"^[A-Za-z0-9_][A-Za-z0-9_.-]*$", RegexOptions.CultureInvariant);

    /// <summary>C# reserved keywords: a namespace part or resource named like one would not compile.</summary>
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const", "continue",
        "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern", "false", "finally",
        "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface", "internal", "is", "lock",
        "long", "namespace", "new", "null", "object", "operator", "out", "override", "params", "private", "protected",
        "public", "readonly", "ref", "return", "sbyte", "sealed", "short", "sizeof", "stackalloc", "static", "string",
        "struct", "switch", "this", "throw", "true", "try", "typeof", "uint", "ulong", "unchecked", "unsafe", "ushort",
        "using", "virtual", "void", "volatile", "while",
    };

    /// <summary>
    /// The .resx, the Designer.cs and each resource file, as paths relative to the project folder. Throws
    /// <see cref="ArgumentException"/> naming the problem for a namespace or resource name the generated code
    /// could not use, or two names whose 16-bit ids collide.
    /// </summary>
    public static IReadOnlyList<ProjectFile> ProjectFiles(string rootNamespace, IReadOnlyList<BinaryResource> resources)
    {
        var files = new List<ProjectFile>
        {
            new(ResxFileName, Encoding.UTF8.GetBytes(Resx(resources))),
            new(DesignerFileName, Encoding.UTF8.GetBytes(Designer(rootNamespace, resources))),
        };
        files.AddRange(resources.Select(r => new ProjectFile($"{ResourcesFolder}/{r.FileName}", r.Bytes)));
        return files;
    }

    /// <summary>The .resx: the standard resheaders and one file reference per resource, paths relative to the .resx.</summary>
    public static string Resx(IReadOnlyList<BinaryResource> resources)
    {
        Validate(resources);
        var text = new StringBuilder();
        text.Append("<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n");
        text.Append("<root>\r\n");
        text.Append("  <!-- Written by QuantEdge (quantedge export, tools/DeviceTest generate). Each data element embeds a file\r\n");
        text.Append("       as a byte[] resource; Resources.Designer.cs names it in the BinaryResources enum. -->\r\n");
        text.Append("  <resheader name=\"resmimetype\">\r\n    <value>text/microsoft-resx</value>\r\n  </resheader>\r\n");
        text.Append("  <resheader name=\"version\">\r\n    <value>2.0</value>\r\n  </resheader>\r\n");
        text.Append("  <resheader name=\"reader\">\r\n    <value>System.Resources.ResXResourceReader, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value>\r\n  </resheader>\r\n");
        text.Append("  <resheader name=\"writer\">\r\n    <value>System.Resources.ResXResourceWriter, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value>\r\n  </resheader>\r\n");
        text.Append("  <assembly alias=\"System.Windows.Forms\" name=\"System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089\" />\r\n");
        foreach (BinaryResource resource in resources)
        {
            // Backslash as Visual Studio writes it; MSBuild on Linux and macOS accepts it too.
            string value = $"{resource.ResxPath};{ByteArrayType}";
            text.Append($"  <data name=\"{SecurityElement.Escape(resource.Name)}\" type=\"System.Resources.ResXFileRef, System.Windows.Forms\">\r\n");
            text.Append($"    <value>{SecurityElement.Escape(value)}</value>\r\n");
            text.Append("  </data>\r\n");
        }

        text.Append("</root>\r\n");
        return text.ToString();
    }

    /// <summary>
    /// The Designer.cs for binary resources only: the internal partial class <c>Resources</c> with its lazily created
    /// ResourceManager, <c>GetBytes</c>, and the nested <c>BinaryResources</c> enum whose members are in ascending id
    /// order, as the generator sorts them.
    /// </summary>
    public static string Designer(string rootNamespace, IReadOnlyList<BinaryResource> resources)
    {
        ValidateNamespace(rootNamespace);
        Validate(resources);
        var lines = new List<string>
        {
            "//------------------------------------------------------------------------------",
            "// <auto-generated>",
            "//     This code was generated by a tool.",
            // The generator runs inside Visual Studio on .NET Framework 4.x, whose version this line prints.
            "//     Runtime Version:4.0.30319.42000",
            "//",
            "//     Changes to this file may cause incorrect behavior and will be lost if",
            "//     the code is regenerated.",
            "// </auto-generated>",
            "//------------------------------------------------------------------------------",
            "",
            $"namespace {rootNamespace}",
            "{",
            "    ",
            $"    internal partial class {ClassName}",
            "    {",
            "        private static System.Resources.ResourceManager manager;",
            "        internal static System.Resources.ResourceManager ResourceManager",
            "        {",
            "            get",
            "            {",
            $"                if (({ClassName}.manager == null))",
            "                {",
            $"                    {ClassName}.manager = new System.Resources.ResourceManager(\"{rootNamespace}.{ClassName}\", typeof({ClassName}).Assembly);",
            "                }",
            $"                return {ClassName}.manager;",
            "            }",
            "        }",
            $"        internal static byte[] GetBytes({ClassName}.BinaryResources id)",
            "        {",
            "            return ((byte[])(nanoFramework.Runtime.Native.ResourceUtility.GetObject(ResourceManager, id)));",
            "        }",
            "        [System.SerializableAttribute()]",
            "        internal enum BinaryResources : short",
            "        {",
        };
        foreach (BinaryResource resource in resources.OrderBy(r => NanoResourceId.FromName(r.Name)))
        {
            lines.Add($"            {resource.Name} = {NanoResourceId.FromName(resource.Name)},");
        }

        lines.AddRange(["        }", "    }", "}"]);
        return string.Join("\r\n", lines) + "\r\n";
    }

    private static void ValidateNamespace(string rootNamespace)
    {
        if (string.IsNullOrEmpty(rootNamespace))
        {
            throw new ArgumentException("the namespace is empty");
        }

        foreach (string part in rootNamespace.Split('.'))
        {
            if (!Identifier.IsMatch(part) || Keywords.Contains(part))
            {
                throw new ArgumentException($"'{rootNamespace}' is not a C# namespace ('{part}' is not an identifier)");
            }
        }
    }

    private static void Validate(IReadOnlyList<BinaryResource> resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        if (resources.Count == 0)
        {
            throw new ArgumentException("no resources to write");
        }

        var byId = new Dictionary<short, string>();
        var fileNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (BinaryResource resource in resources)
        {
            // The generator turns '.' into '_' and reads ';' as the start of an explicit id; a plain identifier
            // keeps the enum member, the resx name and the hashed name the same string.
            if (!Identifier.IsMatch(resource.Name) || Keywords.Contains(resource.Name))
            {
                throw new ArgumentException($"resource name '{resource.Name}' is not a C# identifier");
            }

            if (!FileName.IsMatch(resource.FileName) || !fileNames.Add(resource.FileName))
            {
                throw new ArgumentException($"resource file name '{resource.FileName}' is not a plain, distinct file name");
            }

            short id = NanoResourceId.FromName(resource.Name);
            if (!byId.TryAdd(id, resource.Name))
            {
                throw new ArgumentException($"resources '{byId[id]}' and '{resource.Name}' have the same id {id}");
            }
        }
    }
}
