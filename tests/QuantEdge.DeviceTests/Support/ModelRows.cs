using nanoFramework.TestFramework;
using QuantEdge.Runtime;

namespace QuantEdge.DeviceTests.Support
{
    /// <summary>A model's stored rows (<see cref="TestModel.Rows"/>): raw inputs and the int8 outputs the .NET build gives.</summary>
    internal static class ModelRows
    {
        /// <summary>
        /// Runs every stored row of <paramref name="name"/> through <paramref name="model"/>, fails on any output that
        /// differs from the .NET build's, then checks that inference left the model as it was (the golden vector passes).
        /// </summary>
        public static void AssertOutputs(Model model, string name, int rows)
        {
            DataFile file = DataFile.Open(TestModel.Rows(name));
            Assert.AreEqual(rows, file.Count, name + ": rows in the resource");
            sbyte[] actual = new sbyte[model.OutputLength];
            Failures failures = new Failures();
            for (int i = 0; i < file.Count; i++)
            {
                DataRecord row = file.Read(i);
                model.SetRawInputs(row.Ints("raw_input"));
                model.Invoke();
                model.GetOutputs(actual);
                string difference = Compare.Difference(row.SBytes("expected_output"), actual);
                if (difference != null)
                {
                    failures.Add(row.Name + ": " + difference);
                }
            }

            failures.AssertNone(file.Count, name + " rows");
            Assert.IsTrue(model.SelfTest(), name + ": self-test after the rows");
        }
    }
}
