using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace ClusterPS.Commands
{
    /// <summary>Turns a -Layout argument (a built-in name or a hashtable of field → column) into a layout.</summary>
    public sealed class LayoutTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object value = inputData is PSObject pso ? pso.BaseObject : inputData;
            switch (value)
            {
                case ClusterLayout layout:
                    return layout;
                case string name:
                    return ClusterLayout.FromName(name) ?? throw new ArgumentTransformationMetadataException(
                        $"'{name}' is not a layout. Use {string.Join(", ", ClusterLayout.BuiltIn.Select(l => l.Name))}, or a hashtable that maps fields to columns.");
                case IDictionary map:
                    try
                    {
                        return ClusterLayout.FromMap(map.Cast<DictionaryEntry>()
                            .Select(e => new KeyValuePair<string, object?>(e.Key?.ToString() ?? "", e.Value is PSObject p ? p.BaseObject : e.Value)));
                    }
                    catch (ArgumentException ex)
                    {
                        throw new ArgumentTransformationMetadataException(ex.Message, ex);
                    }

                default:
                    throw new ArgumentTransformationMetadataException("-Layout takes a layout name (Seed12, Legacy11, Momentum15) or a hashtable of field → column.");
            }
        }
    }
}
