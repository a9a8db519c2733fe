namespace QuantEdge.Node.Outputs
{
    /// <summary>
    /// A prediction becomes the stable class only after it has won <c>required</c> consecutive
    /// times, so a reading near a decision boundary does not toggle the outputs at every sample.
    /// </summary>
    public sealed class Hysteresis
    {
        private readonly int required;

        public Hysteresis(int required)
        {
            this.required = required;
            Stable = -1;
            Candidate = -1;
        }

        /// <summary>The class the outputs show; −1 before any class has won often enough.</summary>
        public int Stable;

        /// <summary>The class that differs from <see cref="Stable"/> and won the last predictions, or −1.</summary>
        public int Candidate;

        /// <summary>How many consecutive times <see cref="Candidate"/> has won.</summary>
        public int Count;

        /// <summary>Takes one prediction; true when the stable class changed.</summary>
        public bool Update(int predicted)
        {
            if (predicted == Stable)
            {
                Candidate = -1;
                Count = 0;
                return false;
            }

            if (predicted == Candidate)
            {
                Count++;
            }
            else
            {
                Candidate = predicted;
                Count = 1;
            }

            if (Count < required)
            {
                return false;
            }

            Stable = predicted;
            Candidate = -1;
            Count = 0;
            return true;
        }
    }
}
