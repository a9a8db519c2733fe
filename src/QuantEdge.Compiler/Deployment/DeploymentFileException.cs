namespace QuantEdge.Compiler.Deployment;

/// <summary>
/// A problem in a user's deployment file (a board definition, a node.json): its message is one line,
/// <c>file: field.path: problem</c>, so that the user can go straight to the field.
/// </summary>
public sealed class DeploymentFileException(string file, string field, string problem)
    : Exception(field.Length == 0 ? $"{file}: {problem}" : $"{file}: {field}: {problem}")
{
    public string File { get; } = file;

    /// <summary>The field's path, as in <c>inputs[2].adc.channel</c>; empty for the whole file.</summary>
    public string Field { get; } = field;

    public string Problem { get; } = problem;
}
