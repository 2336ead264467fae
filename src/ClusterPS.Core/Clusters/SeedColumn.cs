namespace ClusterPS
{
    /// <summary>
    /// The seed layout's metadata columns (SPEC section 1), by name: what <see cref="ClusterLayout.Seed12"/>
    /// is built from and what the exporter writes.
    /// </summary>
    public static class SeedColumn
    {
        public const int IsMarley = 0;
        public const int IsMainTrack = 1;
        public const int PositionX = 2;
        public const int PositionY = 3;
        public const int PositionZ = 4;
        public const int DirectionX = 5;
        public const int DirectionY = 6;
        public const int DirectionZ = 7;
        public const int NuEnergy = 8;
        public const int ParticleEnergy = 9;
        public const int PlaneId = 10;
        public const int IsES = 11;

        /// <summary>The number of columns of a seed-layout metadata row.</summary>
        public const int Count = 12;
    }
}
