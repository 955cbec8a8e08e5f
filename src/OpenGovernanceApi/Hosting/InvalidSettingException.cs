namespace OpenGovernanceApi.Hosting;

/// <summary>A setting that cannot be used: start-up stops with one line naming it (Program.cs), never half-configured.</summary>
public sealed class InvalidSettingException(string setting, string problem) : Exception($"setting {setting}: {problem}");
