namespace QuantEdge.Compiler.Evaluation;

// TEMPORARY: the evaluator's public records as agreed, so the CLI and the report compile before the
// evaluator lands on main. Deleted when main is merged (main's definitions replace these).

public readonly record struct ProgressReport(string Stage, int Done, int Total);

public sealed record EvaluationResult(int Samples, double Int8Accuracy, double? FloatAccuracy, double? Agreement, int[][]? Confusion /* [float class][int8 class] */, int BlobBytes, int ArenaBytes, int WeightBytes, long Macs);

public sealed record LayerError(string Value, string Op, double SqnrDb);
