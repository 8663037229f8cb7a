using System.Globalization;
using System.Text;
using System.Runtime.InteropServices;
using System.Text.Json;
using ValidationLab.Errors;
using ValidationLab.Suites.Longitudinal.Timeline;

namespace ValidationLab.Suites.Longitudinal.Readers;

/// <summary>
/// Maps FHIR R4 resources (as System.Text.Json elements; no FHIR library is used) into patient timelines. Shared by
/// the Bundle and the Bulk NDJSON readers, so both read a resource the same way. Resource types other than Patient,
/// Encounter, Observation, Condition, MedicationRequest, Procedure and DocumentReference are counted and skipped.
/// </summary>
internal sealed class FhirMapper
{
    public const string LoincSystem = "http://loinc.org";

    /// <summary>Extension carrying the patient's insurance on generated cohorts (FHIR keeps it in Coverage).</summary>
    public const string InsuranceExtension = "https://validationlab.example/fhir/insurance";

    private const string EthnicityExtension = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity";

    private readonly Dictionary<string, TimelineBuilder> _patients = new(StringComparer.Ordinal);
    private readonly HashSet<string> _declared = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, int> _skipped = new(StringComparer.Ordinal);
    private readonly List<string> _files = [];
    private readonly Dictionary<string, Concept> _medications = new(StringComparer.Ordinal);

    // Encounter references and short values ("A", "final") repeat on every hourly observation: one copy each.
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);

    private static readonly string[] KnownTypes = ["Observation", "Patient", "Encounter", "Condition", "MedicationRequest", "Procedure", "DocumentReference", "Medication"];

    private readonly RawUtf8Cache<Concept>[] _concepts = [.. Enum.GetValues<FactKind>().Select(_ => new RawUtf8Cache<Concept>())];
    private readonly Dictionary<Concept, RawUtf8Cache<Concept>> _units = new(ReferenceEqualityComparer.Instance);
    private readonly RawUtf8Cache<string?> _references = new();

    /// <summary>The resource type, without a new string for the types the mapper knows.</summary>
    private static string? TypeOf(JsonElement resource)
    {
        if (resource.TryGetProperty("resourceType", out var t) && t.ValueKind == JsonValueKind.String)
        {
            foreach (var known in KnownTypes)
            {
                if (t.ValueEquals(known))
                {
                    return known;
                }
            }
        }

        return Str(resource, "resourceType");
    }

    private string? Pool(string? s)
    {
        if (s is null || s.Length > 40)
        {
            return s;
        }

        if (_strings.TryGetValue(s, out var pooled))
        {
            return pooled;
        }

        _strings[s] = s;
        return s;
    }

    public void AddFile(string file) => _files.Add(file);

    /// <summary>Map one resource; <paramref name="where"/> says where it was ("entry 12"; null means "line N").</summary>
    public void Map(JsonElement resource, string file, long? line, string? where)
    {
        if (resource.ValueKind != JsonValueKind.Object)
        {
            throw new InputException($"{where ?? $"line {line?.ToString(CultureInfo.InvariantCulture)}"}: a resource must be a JSON object", file, line, "resourceType");
        }

        var type = TypeOf(resource)
            ?? throw new InputException($"{where ?? $"line {line?.ToString(CultureInfo.InvariantCulture)}"}: the resource has no resourceType", file, line, "resourceType");
        var ctx = new Ctx(file, line, where, type, resource);
        switch (type)
        {
            case "Patient":
                MapPatient(resource, ctx);
                break;
            case "Encounter":
                MapEncounter(resource, ctx);
                break;
            case "Observation":
                MapObservation(resource, ctx);
                break;
            case "Condition":
                AddCoded(resource, ctx, FactKind.Condition, "code", ["onsetDateTime", "onsetPeriod.start", "recordedDate"]);
                break;
            case "MedicationRequest":
                AddCoded(resource, ctx, FactKind.Medication, resource.TryGetProperty("medicationCodeableConcept", out _) ? "medicationCodeableConcept" : "medicationReference", ["authoredOn"]);
                break;
            case "Procedure":
                AddCoded(resource, ctx, FactKind.Procedure, "code", ["performedDateTime", "performedPeriod.start"]);
                break;
            case "DocumentReference":
                MapDocument(resource, ctx);
                break;
            case "Medication":
                Remember(resource);
                break;
            default:
                Skip(type);
                break;
        }
    }

    /// <summary>
    /// A Medication resource, so that a MedicationRequest's medicationReference reads as the drug's code. Bundles
    /// call this for every entry before mapping (the Medication may come after the request that names it).
    /// </summary>
    public void Remember(JsonElement resource)
    {
        if (Str(resource, "resourceType") == "Medication" && Str(resource, "id") is { } id && resource.TryGetProperty("code", out var code))
        {
            _medications[id] = Coded(FactKind.Medication, code);
        }
    }

    /// <summary>A resource of a type the timelines do not use, counted (the NDJSON index sees these first).</summary>
    public void Skip(string type) => _skipped[type] = _skipped.GetValueOrDefault(type) + 1;

    /// <summary>Resource types read but not used, with their counts.</summary>
    public IReadOnlyDictionary<string, int> Skipped => _skipped;

    /// <summary>Every file added so far.</summary>
    public IReadOnlyList<string> Files => _files;

    /// <summary>Hand over one patient's builder and forget it: a reader streaming patient by patient holds one at a time.</summary>
    public TimelineBuilder? Take(string patientId)
    {
        if (_patients.Remove(patientId, out var b))
        {
            return b;
        }

        return null;
    }

    public Cohort Finish(string format)
    {
        var orphans = _patients.Keys.Count(k => !_declared.Contains(k));
        return Cohort.From(format, _patients.Values, _files, _skipped, orphans);
    }

    private TimelineBuilder Patient(string id)
    {
        if (!_patients.TryGetValue(id, out var b))
        {
            b = new TimelineBuilder(id);
            _patients[id] = b;
        }

        return b;
    }

    private void MapPatient(JsonElement r, Ctx ctx)
    {
        var id = Str(r, "id") ?? throw ctx.Error("a Patient needs an id", "id");
        _declared.Add(id);
        var b = Patient(id);
        DateTime? birth = null;
        if (Str(r, "birthDate") is { } bd)
        {
            birth = Times.TryParseDate(bd, out var d) ? d : throw ctx.Error($"'{bd}' is not a date", "birthDate");
        }

        string? ethnicity = null, insurance = null;
        if (r.TryGetProperty("extension", out var exts) && exts.ValueKind == JsonValueKind.Array)
        {
            foreach (var ext in exts.EnumerateArray())
            {
                var url = Str(ext, "url");
                if (url == EthnicityExtension && ext.TryGetProperty("extension", out var inner) && inner.ValueKind == JsonValueKind.Array)
                {
                    foreach (var part in inner.EnumerateArray())
                    {
                        if (Str(part, "url") == "text")
                        {
                            ethnicity = Str(part, "valueString");
                        }
                    }
                }
                else if (url == InsuranceExtension)
                {
                    insurance = Str(ext, "valueString");
                }
            }
        }

        string? language = null;
        if (r.TryGetProperty("communication", out var comm) && comm.ValueKind == JsonValueKind.Array)
        {
            foreach (var c in comm.EnumerateArray())
            {
                if (c.TryGetProperty("language", out var lang))
                {
                    language = Str(lang, "text") ?? FirstCoding(lang).Display ?? FirstCoding(lang).Code;
                    break;
                }
            }
        }

        string? site = r.TryGetProperty("managingOrganization", out var org) ? Str(org, "display") : null;
        b.Demographics = new Demographics
        {
            Sex = Str(r, "gender"),
            BirthDate = birth,
            Ethnicity = ethnicity,
            Insurance = insurance,
            Language = language,
            Site = site,
        };
        if (Str(r, "deceasedDateTime") is { } dead)
        {
            var t = ParseTime(dead, ctx, "deceasedDateTime");
            b.Add(Fact.Textual(t, Concept.Of(FactKind.Death, "", "death", "Death"), null));
        }
    }

    private void MapEncounter(JsonElement r, Ctx ctx)
    {
        var b = Patient(Subject(r, ctx));
        var id = Str(r, "id") ?? throw ctx.Error("an Encounter needs an id", "id");
        if (!r.TryGetProperty("period", out var period) || Str(period, "start") is not { } startText)
        {
            throw ctx.Error("an Encounter needs period.start", "period.start");
        }

        var start = ParseTime(startText, ctx, "period.start");
        DateTime? end = Str(period, "end") is { } endText ? ParseTime(endText, ctx, "period.end") : null;
        var cls = r.TryGetProperty("class", out var c) ? NormaliseClass(Str(c, "code")) : "ambulatory";
        var type = r.TryGetProperty("type", out var types) && types.ValueKind == JsonValueKind.Array && types.GetArrayLength() > 0
            ? Coded(FactKind.Encounter, types[0])
            : Concept.Of(FactKind.Encounter, "", "", "Encounter");
        AddEncounter(b, new Encounter(id, start, end, cls, type));
    }

    /// <summary>An encounter and its start (and end) as facts: admission/discharge for inpatient stays.</summary>
    internal static void AddEncounter(TimelineBuilder b, Encounter e)
    {
        b.AddEncounter(e);
        var inpatient = e.Class is "inpatient" or "icu";
        var t = e.Type ?? Concept.Of(FactKind.Encounter, "", "", "Encounter");
        b.Add(Fact.Textual(e.Start, Concept.Of(inpatient ? FactKind.Admission : FactKind.Encounter, t.System, t.Code, t.Display), e.Class, e.Id));
        if (inpatient && e.End is { } end)
        {
            b.Add(Fact.Textual(end, Concept.Of(FactKind.Discharge, t.System, t.Code, t.Display), e.Class, e.Id));
        }
    }

    /// <summary>Synthea's FHIR codes wellness, outpatient and urgent care as AMB; the CSV names them apart. Both map here.</summary>
    internal static string NormaliseClass(string? code) => (code ?? "").Trim().ToLowerInvariant() switch
    {
        "imp" or "inpatient" or "acute" or "nonac" or "snf" or "hospice" => "inpatient",
        "emer" or "emergency" => "emergency",
        "icu" => "icu",
        _ => "ambulatory",
    };

    private void MapObservation(JsonElement r, Ctx ctx)
    {
        var b = Patient(Subject(r, ctx));
        var time = ClinicalTime(r, ctx, ["effectiveDateTime", "effectivePeriod.start", "effectiveInstant", "issued"]);
        var kind = FactKind.Observation;
        if (r.TryGetProperty("category"u8, out var cats) && cats.ValueKind == JsonValueKind.Array)
        {
            foreach (var cat in cats.EnumerateArray())
            {
                // The first coding's code, compared without reading it into a string.
                if (cat.ValueKind == JsonValueKind.Object && cat.TryGetProperty("coding"u8, out var codings) && codings.ValueKind == JsonValueKind.Array
                    && codings.GetArrayLength() > 0 && codings[0] is { ValueKind: JsonValueKind.Object } first && first.TryGetProperty("code"u8, out var code)
                    && code.ValueKind == JsonValueKind.String)
                {
                    kind = code.ValueEquals("vital-signs"u8) ? FactKind.Vital : code.ValueEquals("laboratory"u8) ? FactKind.Lab : kind;
                }
            }
        }

        var encounter = r.TryGetProperty("encounter"u8, out var enc) && enc.ValueKind == JsonValueKind.Object && enc.TryGetProperty("reference"u8, out var encRef)
            ? Reference(encRef)
            : null;
        var concept = r.TryGetProperty("code"u8, out var cc) ? CodedCached(kind, cc) : throw ctx.Error("an Observation needs a code", "code");
        var hasComponents = r.TryGetProperty("component"u8, out var comps) && comps.ValueKind == JsonValueKind.Array && comps.GetArrayLength() > 0;
        if (TryValue(r, kind, concept, ctx, -1, out var fact, time, encounter))
        {
            b.Add(fact with { Text = Pool(fact.Text) });
        }
        else if (!hasComponents)
        {
            b.Add(Fact.Textual(time, concept, null, encounter));
        }

        if (hasComponents)
        {
            var i = 0;
            foreach (var comp in comps.EnumerateArray())
            {
                var cconcept = comp.TryGetProperty("code"u8, out var ccode) ? CodedCached(kind, ccode) : throw ctx.Error("a component needs a code", $"component[{i}].code");
                if (TryValue(comp, kind, cconcept, ctx, i, out var cf, time, encounter))
                {
                    b.Add(cf with { Text = Pool(cf.Text) });
                }

                i++;
            }
        }
    }

    private bool TryValue(JsonElement r, FactKind kind, Concept concept, Ctx ctx, int component, out Fact fact, DateTime time, string? encounter)
    {
        // The field name is built only for a message: this runs for every component of every hourly panel.
        string Field() => component < 0 ? "value" : $"component[{component.ToString(CultureInfo.InvariantCulture)}].value";
        fact = default;
        if (r.TryGetProperty("valueQuantity"u8, out var q))
        {
            if (!q.TryGetProperty("value"u8, out var v) || v.ValueKind != JsonValueKind.Number)
            {
                throw ctx.Error("valueQuantity.value must be a number", Field() + "Quantity.value");
            }

            static Concept WithUnit(Concept concept, FactKind kind, string? unit) =>
                unit is null || unit == concept.Unit ? concept : Concept.Of(kind, concept.System, concept.Code, concept.Display, unit);

            Concept c;
            if (q.TryGetProperty("unit"u8, out var u) && u.ValueKind == JsonValueKind.String)
            {
                // The concept with its unit depends on the concept and the unit's text only (kind is the concept's).
                if (!_units.TryGetValue(concept, out var units))
                {
                    units = new RawUtf8Cache<Concept>();
                    _units[concept] = units;
                }

                c = units.GetOrAdd(u, (concept, kind), static (unit, s) => WithUnit(s.concept, s.kind, unit.GetString()));
            }
            else
            {
                c = WithUnit(concept, kind, Str(q, "unit") ?? Str(q, "code"));
            }
            fact = Fact.Numeric(time, c, v.GetDouble(), encounter);
            return true;
        }

        if (r.TryGetProperty("valueCodeableConcept", out var vc))
        {
            var coding = FirstCoding(vc);
            fact = Fact.Textual(time, concept, coding.Display ?? Str(vc, "text") ?? coding.Code, encounter);
            return true;
        }

        if (r.TryGetProperty("valueString", out var vs))
        {
            fact = Fact.Textual(time, concept, vs.GetString(), encounter);
            return true;
        }

        if (r.TryGetProperty("valueInteger", out var vi) && vi.ValueKind == JsonValueKind.Number)
        {
            fact = Fact.Numeric(time, concept, vi.GetDouble(), encounter);
            return true;
        }

        if (r.TryGetProperty("valueBoolean", out var vb) && vb.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            fact = Fact.Textual(time, concept, vb.GetBoolean() ? "true" : "false", encounter);
            return true;
        }

        return false;
    }

    private void AddCoded(JsonElement r, Ctx ctx, FactKind kind, string codeField, string[] timeFields)
    {
        var b = Patient(Subject(r, ctx));
        var time = ClinicalTime(r, ctx, timeFields);
        Concept concept;
        if (r.TryGetProperty(codeField, out var code))
        {
            concept = codeField == "medicationReference"
                ? _medications.GetValueOrDefault(Ref(Str(code, "reference")) ?? "") ?? Concept.Of(kind, "", Str(code, "reference") ?? "", Str(code, "display") ?? "")
                : Coded(kind, code);
        }
        else
        {
            concept = Concept.Of(kind, "", "", kind.ToString());
        }

        b.Add(Fact.Textual(time, concept, null, EncounterRef(r)));
    }

    private void MapDocument(JsonElement r, Ctx ctx)
    {
        var b = Patient(Subject(r, ctx));
        DateTime time;
        if (Str(r, "date") is { } d)
        {
            time = ParseTime(d, ctx, "date");
        }
        else if (r.TryGetProperty("context", out var c) && c.TryGetProperty("period", out var p) && Str(p, "start") is { } s)
        {
            time = ParseTime(s, ctx, "context.period.start");
        }
        else
        {
            throw ctx.Error("a DocumentReference needs a date", "date");
        }

        var concept = r.TryGetProperty("type", out var type) ? Coded(FactKind.Note, type) : Concept.Of(FactKind.Note, "", "", "Note");
        string? text = null;
        if (r.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in content.EnumerateArray())
            {
                if (item.TryGetProperty("attachment", out var att) && Str(att, "data") is { } data)
                {
                    try
                    {
                        text = Encoding.UTF8.GetString(Convert.FromBase64String(data));
                    }
                    catch (FormatException)
                    {
                        throw ctx.Error("attachment data is not base64", $"content[{i}].attachment.data");
                    }

                    break;
                }

                i++;
            }
        }

        string? encounter = null;
        if (r.TryGetProperty("context", out var cx) && cx.TryGetProperty("encounter", out var encs) && encs.ValueKind == JsonValueKind.Array && encs.GetArrayLength() > 0)
        {
            encounter = Ref(Str(encs[0], "reference"));
        }

        b.Add(Fact.Textual(time, concept, text, encounter));
    }

    private string Subject(JsonElement r, Ctx ctx)
    {
        var present = r.TryGetProperty("subject"u8, out var s) || r.TryGetProperty("patient"u8, out s);
        var id = present && s.ValueKind == JsonValueKind.Object && s.TryGetProperty("reference"u8, out var reference) ? Reference(reference) : null;
        if (id is not { Length: > 0 })
        {
            throw ctx.Error($"a {ctx.Type} needs subject.reference naming its patient", "subject.reference");
        }

        return id;
    }

    private static string? EncounterRef(JsonElement r) =>
        r.TryGetProperty("encounter", out var e) ? Ref(Str(e, "reference")) : null;

    /// <summary><see cref="Ref"/> of a reference value, one string per distinct reference text (they repeat on every line).</summary>
    private string? Reference(JsonElement reference) =>
        _references.GetOrAdd(reference, this, static (e, self) => self.Pool(Ref(e.ValueKind == JsonValueKind.String ? e.GetString() : e.ValueKind == JsonValueKind.Number ? e.GetRawText() : null)));

    /// <summary>"urn:uuid:X", "Patient/X", or "X" → "X".</summary>
    internal static string? Ref(string? reference)
    {
        if (reference is null)
        {
            return null;
        }

        if (reference.StartsWith("urn:uuid:", StringComparison.Ordinal))
        {
            return reference[9..];
        }

        var slash = reference.LastIndexOf('/');
        return slash >= 0 ? reference[(slash + 1)..] : reference;
    }

    private static DateTime ClinicalTime(JsonElement r, Ctx ctx, string[] fields)
    {
        // Fast path for the usual full timestamp with an offset ("...Z", "...-04:00"), which Times reads as the same
        // instant: no string. Dates, naive times and anything odd go through Times, the one rule.
        if (r.TryGetProperty(fields[0], out var first) && first.ValueKind == JsonValueKind.String && HasOffset(JsonMarshal.GetRawUtf8Value(first))
            && first.TryGetDateTimeOffset(out var fast))
        {
            return fast.UtcDateTime;
        }

        foreach (var f in fields)
        {
            var dot = f.IndexOf('.');
            var text = dot < 0
                ? Str(r, f)
                : r.TryGetProperty(f[..dot], out var o) ? Str(o, f[(dot + 1)..]) : null;
            if (text is not null)
            {
                return ParseTime(text, ctx, f);
            }
        }

        throw ctx.Error($"a {ctx.Type} needs a time ({string.Join(" or ", fields)})", fields[0]);
    }

    /// <summary>A quoted JSON string of a full timestamp ending in Z or ±hh:mm.</summary>
    private static bool HasOffset(ReadOnlySpan<byte> quoted)
    {
        var t = quoted.Length >= 2 ? quoted[1..^1] : default;
        return t.Length > 16 && t[10] == (byte)'T' && (t[^1] == (byte)'Z' || t[^3] == (byte)':' && t[^6] is (byte)'+' or (byte)'-');
    }

    private static DateTime ParseTime(string text, Ctx ctx, string field) =>
        Times.TryParse(text, out var t) ? t : throw ctx.Error($"'{text}' is not a FHIR dateTime", field);

    /// <summary><see cref="Coded"/>, remembered by the codeable's raw text (a concept is a function of it and the kind).</summary>
    private Concept CodedCached(FactKind kind, JsonElement codeable) =>
        codeable.ValueKind == JsonValueKind.Object ? _concepts[(int)kind].GetOrAdd(codeable, kind, static (c, k) => Coded(k, c)) : Coded(kind, codeable);

    private static Concept Coded(FactKind kind, JsonElement codeable)
    {
        var c = FirstCoding(codeable);
        return Concept.Of(kind, c.System, c.Code, c.Display ?? Str(codeable, "text") ?? c.Code);
    }

    private static (string? System, string? Code, string? Display) FirstCoding(JsonElement codeable)
    {
        if (codeable.ValueKind == JsonValueKind.Object && codeable.TryGetProperty("coding", out var codings)
            && codings.ValueKind == JsonValueKind.Array && codings.GetArrayLength() > 0)
        {
            var c = codings[0];
            return (Str(c, "system"), Str(c, "code"), Str(c, "display"));
        }

        return (null, null, codeable.ValueKind == JsonValueKind.Object ? Str(codeable, "text") : null);
    }

    internal static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v)
            ? v.ValueKind switch
            {
                JsonValueKind.String => v.GetString(),
                JsonValueKind.Number => v.GetRawText(),
                _ => null,
            }
            : null;

    /// <summary>Where a resource is, for messages; its place and id are written only when there is an error.</summary>
    private readonly record struct Ctx(string File, long? Line, string? Where, string Type, JsonElement Resource)
    {
        public InputException Error(string message, string field) =>
            new($"{Where ?? $"line {Line?.ToString(CultureInfo.InvariantCulture)}"} ({Type}/{Str(Resource, "id") ?? "?"}): {message}", File, Line, field);
    }
}
