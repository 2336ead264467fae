using System.Collections.Generic;
using System.Linq;
using CsCheck;

namespace ClusterPS.Tests
{
    /// <summary>Layouts for tests: field maps as ClusterLayout.FromMap takes them, and random layouts for property tests.</summary>
    internal static class TestLayouts
    {
        /// <summary>A field-to-column map.</summary>
        public static IEnumerable<KeyValuePair<string, object?>> Map(params (string Key, int Column)[] pairs) =>
            pairs.Select(p => new KeyValuePair<string, object?>(p.Key, p.Column)).ToArray();

        /// <summary>
        /// The built-in layouts, and custom ones of <paramref name="minWidth"/> to <paramref name="maxWidth"/>
        /// columns with the <paramref name="always"/> fields, and each of the <paramref name="sometimes"/>
        /// fields or not, at distinct random columns.
        /// </summary>
        public static Gen<(ClusterLayout Layout, int Columns)> Any(int minWidth, int maxWidth, string[] always, string[] sometimes)
        {
            int fields = always.Length + sometimes.Length;
            Gen<(ClusterLayout, int)> custom =
                from width in Gen.Int[minWidth, maxWidth]
                from cols in Gen.Int[0, width - 1].Array[fields]
                where cols.Distinct().Count() == fields
                from present in Gen.Bool.Array[sometimes.Length]
                select (ClusterLayout.FromMap(Map(always.Select((field, i) => (field, cols[i]))
                    .Concat(sometimes.Select((field, i) => (field, cols[always.Length + i])).Where((_, i) => present[i]))
                    .Concat(new[] { ("ColumnCount", width) }).ToArray())), width);
            return Gen.OneOf(
                Gen.Const((ClusterLayout.Seed12, 12)), Gen.Const((ClusterLayout.Legacy11, 11)), Gen.Const((ClusterLayout.Momentum15, 15)), custom);
        }
    }
}
