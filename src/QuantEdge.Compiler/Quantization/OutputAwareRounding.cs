using MathNet.Numerics.LinearAlgebra;

namespace QuantEdge.Compiler.Quantization;

/// <summary>
/// Rounds a layer's weights so that each output channel, not each weight, stays closest to float on the
/// calibration inputs: the goal of AdaRound, reached with the closed-form sequential updates of OBQ/GPTQ and a
/// greedy polish, in well under a second for the layers a microcontroller runs.
/// </summary>
/// <remarks>
/// With weights w (in grid steps) and codes q, a channel's output error on an input x is e·x, e = q − w. Over the
/// calibration inputs its variance is eᵀ C e, C the inputs' covariance (the mean error is what bias correction
/// removes afterwards). Rounding each weight to nearest minimises every |e_k| but not eᵀ C e: errors on correlated
/// inputs add up. So the weights are rounded one after another, and each rounding error is compensated in the
/// weights not yet rounded, by the change that keeps the output closest (for the remaining set F:
/// w_j −= e_i · H⁻¹_F[i, j] / H⁻¹_F[i, i], H = C plus a small damping). The rows those updates use depend only on C,
/// so they are computed once per layer. A greedy polish then tries each code one step up and down and keeps what
/// lowers eᵀ C e. A row whose result is not better than nearest rounding keeps nearest rounding.
/// </remarks>
internal sealed class OutputAwareRounding
{
    /// <summary>Damping added to C's diagonal, as a share of its mean: keeps H invertible when inputs are constant or collinear.</summary>
    public const double Damping = 0.01;

    public const int MaxPolishSweeps = 10;

    private readonly int n;
    private readonly double[] covariance;

    /// <summary>updates[i][j − i − 1] = H⁻¹_F[i, j] / H⁻¹_F[i, i] for F = {i, ..., n − 1}.</summary>
    private readonly double[][] updates;

    /// <param name="covariance">The layer inputs' covariance, [j × n + k], in the units the weights multiply.</param>
    /// <param name="n">Inputs per output channel.</param>
    public OutputAwareRounding(double[] covariance, int n)
    {
        this.n = n;
        this.covariance = covariance;
        double meanDiagonal = Enumerable.Range(0, n).Average(k => covariance[k * n + k]);
        double damping = Damping * meanDiagonal + 1e-12;
        Matrix<double> damped = Matrix<double>.Build.Dense(n, n, (j, k) => covariance[j * n + k] + (j == k ? damping : 0));
        double[,] inverse = damped.Cholesky().Solve(Matrix<double>.Build.DenseIdentity(n)).ToArray();

        // Removing weight i from F downdates the inverse: H⁻¹_F\i = H⁻¹_F − H⁻¹_F[:, i] H⁻¹_F[i, :] / H⁻¹_F[i, i].
        updates = new double[n][];
        for (int i = 0; i < n; i++)
        {
            double pivot = inverse[i, i];
            updates[i] = new double[n - i - 1];
            for (int j = i + 1; j < n; j++)
            {
                updates[i][j - i - 1] = inverse[i, j] / pivot;
            }

            for (int a = i + 1; a < n; a++)
            {
                double factor = inverse[a, i] / pivot;
                for (int b = i + 1; b < n; b++)
                {
                    inverse[a, b] -= factor * inverse[i, b];
                }
            }
        }
    }

    /// <summary>Codes in [−127, 127] for one channel's <paramref name="weights"/> on the grid <paramref name="scale"/>.</summary>
    public int[] Round(double[] weights, double scale)
    {
        double[] target = weights.Select(w => w / scale).ToArray();
        int[] nearest = WeightQuantizer.NearestCodes(weights, scale);

        double[] remaining = (double[])target.Clone();
        var codes = new int[n];
        for (int i = 0; i < n; i++)
        {
            codes[i] = Clamp(Math.Round(remaining[i], MidpointRounding.AwayFromZero));
            double error = remaining[i] - codes[i];
            for (int j = i + 1; j < n; j++)
            {
                remaining[j] -= error * updates[i][j - i - 1];
            }
        }

        Polish(target, codes);
        return ErrorVariance(target, codes) < ErrorVariance(target, nearest) ? codes : nearest;
    }

    /// <summary>eᵀ C e in grid steps² for codes against weights already divided by the grid step.</summary>
    public double ErrorVariance(double[] target, int[] codes)
    {
        double total = 0;
        for (int j = 0; j < n; j++)
        {
            for (int k = 0; k < n; k++)
            {
                total += (codes[j] - target[j]) * covariance[j * n + k] * (codes[k] - target[k]);
            }
        }

        return total;
    }

    /// <summary>Moves single codes one step while that lowers eᵀ C e (each move changes it by 2·d·(C e)_k + d²·C_kk).</summary>
    private void Polish(double[] target, int[] codes)
    {
        var gradient = new double[n]; // (C e)_j
        for (int j = 0; j < n; j++)
        {
            for (int k = 0; k < n; k++)
            {
                gradient[j] += covariance[j * n + k] * (codes[k] - target[k]);
            }
        }

        for (int sweep = 0; sweep < MaxPolishSweeps; sweep++)
        {
            bool changed = false;
            for (int k = 0; k < n; k++)
            {
                double diagonal = covariance[k * n + k];
                foreach (int d in (ReadOnlySpan<int>)[-1, 1])
                {
                    if (codes[k] + d != Clamp(codes[k] + d) || 2 * d * gradient[k] + diagonal >= -1e-12 * diagonal)
                    {
                        continue;
                    }

                    codes[k] += d;
                    for (int j = 0; j < n; j++)
                    {
                        gradient[j] += covariance[j * n + k] * d;
                    }

                    changed = true;
                    break;
                }
            }

            if (!changed)
            {
                break;
            }
        }
    }

    private static int Clamp(double code) => (int)Math.Clamp(code, -127, 127);
}
