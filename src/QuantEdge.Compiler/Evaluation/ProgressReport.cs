namespace QuantEdge.Compiler.Evaluation;

/// <summary>Progress of long work (calibration, evaluation): <paramref name="Done"/> of <paramref name="Total"/> items of <paramref name="Stage"/>.</summary>
public readonly record struct ProgressReport(string Stage, int Done, int Total);
