using nanoFramework.TestFramework;

namespace QuantEdge.DeviceTests.Support
{
    /// <summary>
    /// Collects what went wrong over many cases, so one test reports every failing case (the first
    /// few in full) instead of stopping at the first.
    /// </summary>
    internal sealed class Failures
    {
        private const int Shown = 8;
        private string text = "";
        private int count;

        public int Count
        {
            get { return count; }
        }

        public void Add(string message)
        {
            count++;
            if (count <= Shown)
            {
                text += (count == 1 ? "" : "; ") + message;
            }
        }

        /// <summary>Fails the test when anything was added, naming how many of <paramref name="checkedCount"/> checks failed.</summary>
        public void AssertNone(int checkedCount, string what)
        {
            Assert.IsTrue(count == 0, count.ToString() + " of " + checkedCount.ToString() + " " + what + " failed: " + text);
        }
    }
}
