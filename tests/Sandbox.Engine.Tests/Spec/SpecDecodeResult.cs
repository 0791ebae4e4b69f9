namespace Sandbox.Engine.Tests.Spec;

/// <summary>What <see cref="SpecDecodeRunner"/> found in one script: counts per category and each failure by line.</summary>
public sealed class SpecDecodeResult(string script)
{
    public string Script { get; } = script;

    /// <summary>Modules that must decode and validate: <c>module</c>, and the modules of assert_unlinkable/assert_uninstantiable.</summary>
    public Tally Valid { get; } = new();

    /// <summary>Binary assert_malformed modules, which must fail to decode (or, where the spec places the rule there, validate).</summary>
    public Tally Malformed { get; } = new();

    /// <summary>assert_invalid modules, which must decode and fail validation.</summary>
    public Tally Invalid { get; } = new();

    /// <summary>Text-format modules, which a binary-only engine does not read.</summary>
    public int SkippedText { get; set; }

    /// <summary>Commands that did not do what the script says, as "line N: what happened".</summary>
    public List<string> Failures { get; } = [];

    /// <summary>Failures listed in <see cref="SpecExceptions"/>, with their reason (reported, not failed).</summary>
    public List<string> Excepted { get; } = [];

    /// <summary>Rejections whose message differs from the script's text (reported, not failed).</summary>
    public List<string> MessageMismatches { get; } = [];

    public override string ToString() =>
        $"{Script,-28} valid {Valid}  malformed {Malformed}  invalid {Invalid}  text skipped {SkippedText}  excepted {Excepted.Count}  message mismatches {MessageMismatches.Count}";

    /// <summary>Passed out of total.</summary>
    public sealed class Tally
    {
        public int Passed { get; set; }

        public int Total { get; set; }

        public void Add(Tally other)
        {
            Passed += other.Passed;
            Total += other.Total;
        }

        public override string ToString() => $"{Passed}/{Total}";
    }
}
