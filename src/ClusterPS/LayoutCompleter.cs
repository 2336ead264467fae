using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace ClusterPS.Commands
{
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
