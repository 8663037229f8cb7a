using System.Globalization;
using ValidationLab.Errors;
using ValidationLab.Suites.Longitudinal.Timeline;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace ValidationLab.Suites.Longitudinal.Tasks;

/// <summary>
/// A prediction task as written in YAML (fixtures/longitudinal/tasks/*.yaml): who and when (unit and decision
/// points), what is predicted (label events in a window after the decision time) and which decision points are left
/// out (exclusion events in a window). A new task is a new file, not code. Field names are snake_case.
/// </summary>
public sealed class TaskDefinition
{
    public string Name { get; set; } = "";

    /// <summary>What is predicted, in plain words; sent to the model as RiskRequest.Outcome.</summary>
    public string Outcome { get; set; } = "";

    public int HorizonHours { get; set; }

    /// <summary>"admission" (each inpatient stay, cluster = patient) or "patient" (first to last encounter).</summary>
    public string Unit { get; set; } = "admission";

    /// <summary>The feature a transparent reference rule uses as its score (news2, kdigo_stage, last_lactate...).</summary>
    public string? ReferenceFeature { get; set; }

    /// <summary>The source format the task was written for (informational; any reader can feed any task).</summary>
    public string? Data { get; set; }

    public DecisionSpec Decision { get; set; } = new();

    public LabelSpec Label { get; set; } = new();

    public List<ExclusionSpec> Exclude { get; set; } = [];

    /// <summary>Where the definition was read from.</summary>
    [YamlIgnore]
    public string File { get; set; } = "";

    public static TaskDefinition Load(string file)
    {
        var deserializer = new DeserializerBuilder()
            .WithNamingConvention(UnderscoredNamingConvention.Instance)
            .Build();
        TaskDefinition task;
        try
        {
            task = deserializer.Deserialize<TaskDefinition>(System.IO.File.ReadAllText(file)) ?? throw new InputException("the task file is empty", file, 1, "name");
        }
        catch (YamlException ex)
        {
            var inner = ex.InnerException?.Message is { } m ? $" ({m})" : "";
            throw new InputException($"not a valid task definition: {ex.Message}{inner}", file, ex.Start.Line, FieldOf(ex));
        }

        task.File = file;
        task.Validate();
        return task;
    }

    private static string? FieldOf(YamlException ex)
    {
        const string marker = "Property '";
        var i = ex.Message.IndexOf(marker, StringComparison.Ordinal);
        if (i < 0)
        {
            return null;
        }

        var j = ex.Message.IndexOf('\'', i + marker.Length);
        return j > i ? ex.Message[(i + marker.Length)..j] : null;
    }

    public void Validate()
    {
        InputException Bad(string message, string field) => new(message, File, null, field);
        if (string.IsNullOrWhiteSpace(Name))
        {
            throw Bad("a task needs a name", "name");
        }

        if (string.IsNullOrWhiteSpace(Outcome))
        {
            throw Bad("a task needs an outcome (what is predicted, in words)", "outcome");
        }

        if (Unit is not ("admission" or "patient"))
        {
            throw Bad($"'{Unit}' is not a unit; use 'admission' or 'patient'", "unit");
        }

        if (Decision.EveryHours <= 0)
        {
            throw Bad("must be a positive number of hours", "decision.every_hours");
        }

        if (Decision.FirstAfterHours < 0)
        {
            throw Bad("must be 0 or more", "decision.first_after_hours");
        }

        if (Label.Events.Count == 0)
        {
            throw Bad("the label needs at least one event", "label.events");
        }

        Label.Window.Validate(Bad, "label.window", allowUnitStart: false);
        if (HorizonHours <= 0)
        {
            HorizonHours = (int)Math.Round(Label.Window.UntilHours);
        }

        _ = Label.MinCount(Bad);
        for (var i = 0; i < Label.Events.Count; i++)
        {
            Label.Events[i].Validate(Bad, $"label.events[{i}]");
        }

        for (var i = 0; i < Exclude.Count; i++)
        {
            var x = Exclude[i];
            if (string.IsNullOrWhiteSpace(x.Reason))
            {
                throw Bad("an exclusion needs a reason (shown on every excluded decision point)", $"exclude[{i}].reason");
            }

            if (x.Events.Count == 0)
            {
                throw Bad("an exclusion needs at least one event", $"exclude[{i}].events");
            }

            x.Window.Validate(Bad, $"exclude[{i}].window", allowUnitStart: true);
            for (var j = 0; j < x.Events.Count; j++)
            {
                x.Events[j].Validate(Bad, $"exclude[{i}].events[{j}]");
            }
        }
    }
}

/// <summary>When decisions are made within a unit: from <c>first_after_hours</c> after its start, every <c>every_hours</c>, while the unit lasts and the patient is alive.</summary>
public sealed class DecisionSpec
{
    public double FirstAfterHours { get; set; }

    public double EveryHours { get; set; }

    /// <summary>Leave out decision points whose label window reaches past the end of the record (no follow-up to judge them).</summary>
    public bool RequireFollowUp { get; set; }
}

/// <summary>A window relative to the decision time t: (t + after_hours, t + until_hours], or [unit start, t + until_hours] with from_unit_start.</summary>
public sealed class WindowSpec
{
    public double AfterHours { get; set; }

    public double UntilHours { get; set; }

    public bool FromUnitStart { get; set; }

    internal void Validate(Func<string, string, InputException> bad, string field, bool allowUnitStart)
    {
        if (FromUnitStart && !allowUnitStart)
        {
            throw bad("a label window cannot start at the unit start: it must lie after the decision time", field + ".from_unit_start");
        }

        if (!FromUnitStart && UntilHours <= AfterHours)
        {
            throw bad($"until_hours ({UntilHours.ToString(CultureInfo.InvariantCulture)}) must be after after_hours ({AfterHours.ToString(CultureInfo.InvariantCulture)})", field + ".until_hours");
        }

        if (!allowUnitStart && AfterHours < 0)
        {
            throw bad("a label window must not start before the decision time", field + ".after_hours");
        }
    }
}

/// <summary>The outcome: events in a window after t, combined by any, first (the unit's first such event) or count&gt;=k.</summary>
public sealed class LabelSpec
{
    public List<EventSpec> Events { get; set; } = [];

    public WindowSpec Window { get; set; } = new();

    /// <summary>Only events inside the unit count (e.g. in-hospital death: before discharge).</summary>
    public bool WithinUnit { get; set; }

    public string Combine { get; set; } = "any";

    internal int MinCount(Func<string, string, InputException> bad)
    {
        var c = Combine.Replace(" ", "", StringComparison.Ordinal);
        if (c is "any" or "first")
        {
            return 1;
        }

        if (c.StartsWith("count>=", StringComparison.Ordinal) && int.TryParse(c[7..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var k) && k >= 1)
        {
            return k;
        }

        throw bad($"'{Combine}' is not a combination; use any, first or count>=k", "label.combine");
    }
}

/// <summary>Decision points left out, with the reason shown on each.</summary>
public sealed class ExclusionSpec
{
    public string Reason { get; set; } = "";

    public List<EventSpec> Events { get; set; } = [];

    public WindowSpec Window { get; set; } = new();
}

/// <summary>
/// An event type: <c>death</c>; <c>encounter</c> (an encounter of one of <c>classes</c> starts);
/// <c>fact</c> (a fact of one of <c>kinds</c>, optionally with one of <c>codes</c> "system|code" or "code", and a
/// value rule <c>op</c>/<c>threshold</c>); <c>kdigo_creatinine</c> (a creatinine result meeting the KDIGO
/// creatinine criterion against the results before it).
/// </summary>
public sealed class EventSpec
{
    public string Type { get; set; } = "";

    public List<string> Classes { get; set; } = [];

    public List<string> Kinds { get; set; } = [];

    public List<string> Codes { get; set; } = [];

    public string? Op { get; set; }

    public double? Threshold { get; set; }

    internal void Validate(Func<string, string, InputException> bad, string field)
    {
        switch (Type)
        {
            case "death" or "kdigo_creatinine":
                break;
            case "encounter" when Classes.Count == 0:
                throw bad("an encounter event needs classes", field + ".classes");
            case "encounter":
                break;
            case "fact":
                foreach (var k in Kinds)
                {
                    if (!Enum.TryParse<FactKind>(k, ignoreCase: true, out _))
                    {
                        throw bad($"'{k}' is not a fact kind ({string.Join(", ", Enum.GetNames<FactKind>().Select(n => n.ToLowerInvariant()))})", field + ".kinds");
                    }
                }

                if (Op is not null && (Op is not (">" or ">=" or "<" or "<=" or "==") || Threshold is null))
                {
                    throw bad("a value rule needs op (>, >=, <, <=, ==) and threshold", field + ".op");
                }

                break;
            default:
                throw bad($"'{Type}' is not an event type; use death, encounter, fact or kdigo_creatinine", field + ".type");
        }
    }
}
