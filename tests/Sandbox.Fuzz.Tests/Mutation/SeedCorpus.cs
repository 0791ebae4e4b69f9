using Sandbox.Fuzz.Tests.Generation;

namespace Sandbox.Fuzz.Tests.Mutation;

/// <summary>
/// Valid modules to mutate: the spec testsuite's <c>core/</c> modules (third-party data read in
/// place from <c>$SANDBOX_SPEC_DIR</c>, else <c>../shared/spec</c> beside the repository, never
/// copied into it) and a few generated modules.
/// </summary>
public static class SeedCorpus
{
    public const string SpecVariable = "SANDBOX_SPEC_DIR";

    public const string MissingHint =
        "spec testsuite not found: run scripts/fetch-spec-tests.sh (or set SANDBOX_SPEC_DIR to its output folder)";

    /// <summary>Generated modules added to the corpus (seeds 0..N-1).</summary>
    public const int GeneratedModules = 8;

    public static string? SpecCore()
    {
        var configured = Environment.GetEnvironmentVariable(SpecVariable);
        if (!string.IsNullOrEmpty(configured)) return Directory.Exists(Path.Combine(configured, "core")) ? Path.Combine(configured, "core") : null;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sandbox.sln")))
            {
                var core = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "spec", "core"));
                return Directory.Exists(core) ? core : null;
            }
        }
        return null;
    }

    /// <summary>The corpus's files in a fixed order (names sorted), with generated modules last;
    /// only modules the given validity check accepts, since a mutation should start from valid.</summary>
    public static List<(string Name, byte[] Bytes)> Load(Func<byte[], bool> isValid)
    {
        var corpus = new List<(string, byte[])>();
        var core = SpecCore() ?? throw new DirectoryNotFoundException(MissingHint);
        var files = Directory.GetFiles(core, "*.wasm");
        Array.Sort(files, StringComparer.Ordinal);
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            if (isValid(bytes)) corpus.Add((Path.GetFileName(file), bytes));
        }
        for (var seed = 0; seed < GeneratedModules; seed++)
        {
            corpus.Add(($"generated-{seed}", ModuleGenerator.Generate(seed)));
        }
        return corpus;
    }
}
