using System;
using System.Collections.Generic;
using System.Linq;
using CsCheck;
using Xunit;

namespace ClusterPS.Tests
{
    /// <summary>The statistics categories of a whole table (vectors) agree with those of each row, read by the rules one at a time.</summary>
    public class ClusterCategoryTests
    {
        /// <summary>
        /// Built-in layouts and custom ones of many widths (some without ES, plane or neutrino energy
        /// columns), any number of rows (so vector blocks and remainders both occur), values that are
        /// mostly what files hold and sometimes NaN, -0, -1 or anything: the codes and the energy ranges
        /// of CountTable are those of Of row by row.
        /// </summary>
        [Fact]
        public void The_table_count_agrees_with_the_row_by_row_count()
        {
            Gen<(ClusterLayout Layout, int Columns)> layouts = TestLayouts.Any(7, 40,
                always: new[] { "IsMarley", "IsMainTrack", "ParticleEnergy" }, sometimes: new[] { "IsES", "PlaneId", "NuEnergy" });
            Gen<float> value = Gen.Frequency(
                (30, Gen.OneOfConst(0f, 1f, 2f)), (4, Gen.OneOfConst(-1f, -0f, float.NaN, 3f, 0.5f)), (8, Gen.Float[-10f, 300f]), (1, Gen.Float));
            var cases =
                from shape in layouts
                from rows in Gen.Frequency((3, Gen.Int[0, 40]), (1, Gen.Int[250, 600]))
                from values in value.Array[rows * shape.Columns]
                from batchPlane in Gen.OneOfConst<Plane?>(null, Plane.U, Plane.X)
                select (shape.Layout, shape.Columns, rows, values, batchPlane);

            cases.Sample(c =>
            {
                var columns = new ClusterCategory.Columns(c.Layout, c.Columns, c.batchPlane);
                var codes = new byte[c.rows];
                ValueRange particle = new ValueRange(), nu = new ValueRange();
                columns.CountTable(c.values, c.rows, codes, particle, nu);

                ValueRange expectedParticle = new ValueRange(), expectedNu = new ValueRange();
                for (int r = 0; r < c.rows; r++)
                {
                    var row = new ReadOnlySpan<float>(c.values, r * c.Columns, c.Columns);
                    byte code = columns.Of(row);
                    Assert.Equal(code | ClusterCategory.Counted, codes[r]);
                    if (columns.ParticleEnergy >= 0) expectedParticle.Add(row[columns.ParticleEnergy]);
                    if (!ClusterCategory.NuEnergyUnknown(code)) expectedNu.Add(row[columns.NuEnergy]);
                }

                Assert.Equal((expectedParticle.Min, expectedParticle.Max, expectedNu.Min, expectedNu.Max), (particle.Min, particle.Max, nu.Min, nu.Max));
            }, iter: 1500);
        }

        [Fact]
        public void A_row_shorter_than_the_columns_is_refused() =>
            Assert.Throws<ArgumentException>(() => new ClusterCategory.Columns(ClusterLayout.Seed12, 12, null).Of(new float[11]));

        /// <summary>A deserialized cluster can come with an empty metadata row: every field is then unknown, and nothing is read.</summary>
        [Fact]
        public void An_empty_row_has_every_field_unknown()
        {
            int code = new ClusterCategory.Columns(ClusterLayout.Seed12, 0, Plane.U).Of(ReadOnlySpan<float>.Empty);
            Assert.Null(ClusterCategory.PlaneOf(code));
            Assert.Null(ClusterCategory.InteractionOf(code));
            Assert.True(ClusterCategory.NuEnergyUnknown(code));
            Assert.False(ClusterCategory.IsMarley(code));
        }

        [Fact]
        public void A_row_s_code_follows_the_rules()
        {
            var columns = new ClusterCategory.Columns(ClusterLayout.Seed12, 12, Plane.X);
            var row = new float[12];
            row[SeedColumn.IsMarley] = 1;
            row[SeedColumn.IsMainTrack] = 0;
            row[SeedColumn.PlaneId] = 2;
            row[SeedColumn.IsES] = 1;
            row[SeedColumn.NuEnergy] = -1;
            int code = columns.Of(row);
            Assert.Equal(Plane.X, ClusterCategory.PlaneOf(code));
            Assert.True(ClusterCategory.InteractionOf(code));
            Assert.True(ClusterCategory.IsMarley(code));
            Assert.False(ClusterCategory.IsMainTrack(code));
            Assert.True(ClusterCategory.NuEnergyUnknown(code));
            row[SeedColumn.PlaneId] = 2.5f;
            row[SeedColumn.IsES] = 0;
            row[SeedColumn.NuEnergy] = 3;
            code = columns.Of(row);
            Assert.Null(ClusterCategory.PlaneOf(code));
            Assert.False(ClusterCategory.InteractionOf(code));
            Assert.False(ClusterCategory.NuEnergyUnknown(code));
        }
    }
}
