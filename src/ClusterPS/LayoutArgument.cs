using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

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

    /// <summary>Tab completion of built-in layout names.</summary>
    public sealed class LayoutCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string prefix = wordToComplete.Trim('\'', '"');
            return ClusterLayout.BuiltIn
                .Where(l => l.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Select(l => new CompletionResult(l.Name, l.Name, CompletionResultType.ParameterValue, $"{l.Name}: {l.ColumnCount} metadata columns"));
        }
    }
}
