using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace ClusterPS.Commands
{
    /// <summary>Tab completion of the properties a histogram can be made of.</summary>
    public sealed class HistogramPropertyCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string prefix = wordToComplete.Trim('\'', '"');
            return HistogramField.Names
                .Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue,
                    n == HistogramField.Charge ? "Charge: the sum of a cluster's pixels (reads images)" : n + " (metadata)"));
        }
    }
}
