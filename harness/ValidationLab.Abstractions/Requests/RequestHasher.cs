using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ValidationLab.Requests;

/// <summary>
/// The SHA-256 of a request's content: what the model is shown and how it decodes, without the suite, item and
/// request ids. Two items with the same prompt share a hash; the response cache adds the runner identity on top.
/// </summary>
/// <remarks>
/// The canonical JSON is the one System.Text.Json's reflection serializer wrote for <c>request with { Suite = "",
/// ItemId = "", RequestId = "" }</c> under <see cref="Canonical"/>, which every stored cache key was made from. It is
/// now written by hand (<see cref="CanonicalWriter"/>) straight into a byte buffer — same writer, same property order
/// and null handling, text escaped with the writer's rules, so the same bytes — because the serializer cost more than
/// the rest of a cache lookup. Request types the contract does not register still go through the serializer (which
/// refuses them as before). A property added to a request type must be added to the writer too: the Store tests'
/// RequestShapeTests pin the members it writes, and the oracle tests compare its bytes with the serializer's.
/// </remarks>
public static class RequestHasher
{
    private static readonly JsonSerializerOptions Canonical = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = false,
    };

    /// <summary>The canonical JSON of the request content (ids blanked), stable across runs and machines.</summary>
    public static string CanonicalJson(ModelRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var buffer = ScratchBuffer.Rent();
        try
        {
            // The writer escapes every non-ASCII character, so the bytes are ASCII and decode to the same string.
            return CanonicalWriter.TryWrite(request, buffer) ? Encoding.UTF8.GetString(buffer.WrittenSpan) : Serialized(request);
        }
        finally
        {
            ScratchBuffer.Return(buffer);
        }
    }

    /// <summary>
    /// Appends the UTF-8 of <see cref="CanonicalJson"/> to <paramref name="destination"/> (after whatever it already
    /// holds), without building the string: for callers that hash it with a prefix of their own. When it throws (a
    /// NaN or infinite number, as the serializer did) the destination may hold part of the JSON.
    /// </summary>
    public static void WriteCanonicalJson(ModelRequest request, IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(destination);
        if (!CanonicalWriter.TryWrite(request, destination))
        {
            Encoding.UTF8.GetBytes(Serialized(request), destination);
        }
    }

    /// <summary>Lower-case hex SHA-256 of <see cref="CanonicalJson"/>.</summary>
    public static string Hash(ModelRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var buffer = ScratchBuffer.Rent();
        try
        {
            WriteCanonicalJson(request, buffer);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(buffer.WrittenSpan, hash);
            return Convert.ToHexStringLower(hash);
        }
        finally
        {
            ScratchBuffer.Return(buffer);
        }
    }

    /// <summary>Lower-case hex SHA-256 of UTF-8 text.</summary>
    public static string Sha256Hex(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>The reflection serializer's canonical JSON: the definition the hand-written writer reproduces.</summary>
    private static string Serialized(ModelRequest request) =>
        JsonSerializer.Serialize(request with { Suite = "", ItemId = "", RequestId = "" }, Canonical);

    /// <summary>
    /// The canonical JSON of the registered request types, written member by member with the calls the serializer's
    /// converters make (<see cref="Utf8JsonWriter.WriteNumberValue(double)"/>, ...) on a writer with the serializer's
    /// settings (default encoder, not indented); text that needs escaping is escaped here (<see cref="WriteText"/>) by
    /// the writer's rules. What the serializer did, kept:
    /// the "kind" discriminator first, then the derived type's properties in declaration order, then the base
    /// record's (suite, item_id, request_id blanked, choices); snake_case names; a null property (nullable or not)
    /// omitted, a null list element written as null; lists and dictionaries in their own enumeration order, dictionary
    /// keys as they are; NaN and ±∞ refused by the writer with the serializer's exception.
    /// </summary>
    private static class CanonicalWriter
    {
        private static readonly JsonEncodedText Kind = JsonEncodedText.Encode("kind");
        private static readonly JsonEncodedText KindGenerate = JsonEncodedText.Encode("generate");
        private static readonly JsonEncodedText KindLogLikelihood = JsonEncodedText.Encode("loglikelihood");
        private static readonly JsonEncodedText KindRisk = JsonEncodedText.Encode("risk");
        private static readonly JsonEncodedText Suite = JsonEncodedText.Encode("suite");
        private static readonly JsonEncodedText ItemId = JsonEncodedText.Encode("item_id");
        private static readonly JsonEncodedText RequestId = JsonEncodedText.Encode("request_id");
        private static readonly JsonEncodedText Choices = JsonEncodedText.Encode("choices");
        private static readonly JsonEncodedText Label = JsonEncodedText.Encode("label");
        private static readonly JsonEncodedText Text = JsonEncodedText.Encode("text");
        private static readonly JsonEncodedText Messages = JsonEncodedText.Encode("messages");
        private static readonly JsonEncodedText Role = JsonEncodedText.Encode("role");
        private static readonly JsonEncodedText Content = JsonEncodedText.Encode("content");
        private static readonly JsonEncodedText Decoding = JsonEncodedText.Encode("decoding");
        private static readonly JsonEncodedText Temperature = JsonEncodedText.Encode("temperature");
        private static readonly JsonEncodedText TopP = JsonEncodedText.Encode("top_p");
        private static readonly JsonEncodedText MaxTokens = JsonEncodedText.Encode("max_tokens");
        private static readonly JsonEncodedText Seed = JsonEncodedText.Encode("seed");
        private static readonly JsonEncodedText Stop = JsonEncodedText.Encode("stop");
        private static readonly JsonEncodedText Context = JsonEncodedText.Encode("context");
        private static readonly JsonEncodedText Continuations = JsonEncodedText.Encode("continuations");
        private static readonly JsonEncodedText PatientId = JsonEncodedText.Encode("patient_id");
        private static readonly JsonEncodedText AsOf = JsonEncodedText.Encode("as_of");
        private static readonly JsonEncodedText Outcome = JsonEncodedText.Encode("outcome");
        private static readonly JsonEncodedText HorizonHours = JsonEncodedText.Encode("horizon_hours");
        private static readonly JsonEncodedText Features = JsonEncodedText.Encode("features");

        /// <summary>The serializer's writer settings for these options (Encoder null = JavaScriptEncoder.Default).</summary>
        private static readonly JsonWriterOptions Options = new() { Indented = false, SkipValidation = true };

        /// <summary>Where an idle cached writer points, so that it keeps no caller's buffer alive.</summary>
        private static readonly ArrayBufferWriter<byte> Detached = new(1);

        [ThreadStatic]
        private static Utf8JsonWriter? _idle;

        /// <summary>
        /// Writes the canonical JSON of <paramref name="request"/> to <paramref name="destination"/>; false, having
        /// written nothing, for what only the serializer defines (an unregistered request type, a dictionary type
        /// whose keys this writer does not know to be non-null).
        /// </summary>
        public static bool TryWrite(ModelRequest request, IBufferWriter<byte> destination)
        {
            if (request is not (GenerateRequest or LogLikelihoodRequest or RiskRequest)
                || (request is RiskRequest { Features: { } given } && !IsKnownDictionary(given)))
            {
                return false;
            }

            // Taken, not borrowed: a re-entrant call (from a caller's own list type) gets a writer of its own.
            var writer = _idle ?? new Utf8JsonWriter(Detached, Options);
            _idle = null;
            writer.Reset(destination);
            try
            {
                writer.WriteStartObject();
                switch (request)
                {
                    case GenerateRequest g:
                        writer.WriteString(Kind, KindGenerate);
                        if (g.Messages is { } messages)
                        {
                            writer.WritePropertyName(Messages);
                            WriteMessages(writer, messages);
                        }

                        if (g.Decoding is { } decoding)
                        {
                            writer.WritePropertyName(Decoding);
                            WriteDecoding(writer, decoding);
                        }

                        break;
                    case LogLikelihoodRequest l:
                        writer.WriteString(Kind, KindLogLikelihood);
                        WriteIfNotNull(writer, Context, l.Context);
                        if (l.Continuations is { } continuations)
                        {
                            writer.WritePropertyName(Continuations);
                            WriteStrings(writer, continuations);
                        }

                        break;
                    case RiskRequest r:
                        writer.WriteString(Kind, KindRisk);
                        WriteIfNotNull(writer, PatientId, r.PatientId);
                        writer.WriteString(AsOf, r.AsOf);
                        WriteIfNotNull(writer, Outcome, r.Outcome);
                        writer.WriteNumber(HorizonHours, r.HorizonHours);
                        WriteIfNotNull(writer, Context, r.Context);
                        if (r.Features is { } features)
                        {
                            writer.WritePropertyName(Features);
                            WriteFeatures(writer, features);
                        }

                        if (r.Messages is { } riskMessages)
                        {
                            writer.WritePropertyName(Messages);
                            WriteMessages(writer, riskMessages);
                        }

                        break;
                }

                // The base record's properties come after the derived type's, the ids blanked.
                writer.WriteString(Suite, "");
                writer.WriteString(ItemId, "");
                writer.WriteString(RequestId, "");
                if (request.Choices is { } choices)
                {
                    writer.WritePropertyName(Choices);
                    WriteChoices(writer, choices);
                }

                writer.WriteEndObject();
                writer.Flush();
                return true;
            }
            finally
            {
                // On a throw (NaN, ±∞) the destination may hold part of the JSON: every caller here discards it.
                writer.Reset(Detached);
                _idle = writer;
            }
        }

        private static void WriteIfNotNull(Utf8JsonWriter writer, JsonEncodedText name, string? value)
        {
            if (value is null)
            {
                return;
            }

            // Name and plain value in one call when there is nothing to escape (the writer's cheapest path).
            if (NeedsEscaping(value))
            {
                writer.WritePropertyName(name);
                WriteEscaped(writer, value);
            }
            else
            {
                writer.WriteString(name, value);
            }
        }

        /// <summary>
        /// Printable ASCII the writer's default encoder leaves as it is: everything from ' ' to '~' except the
        /// HTML-sensitive " &amp; ' + &lt; &gt; ` and the backslash.
        /// </summary>
        private static readonly SearchValues<char> Plain = SearchValues.Create(
            " !#$%()*,-./0123456789:;=?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_abcdefghijklmnopqrstuvwxyz{|}~");

        /// <summary>Longer text (never a real prompt) is left to the writer, which also enforces its own size limit.</summary>
        private const int MaxEscapedLength = 16 << 20;

        private static ReadOnlySpan<byte> HexDigits => "0123456789ABCDEF"u8;

        /// <summary>
        /// A string value exactly as <see cref="Utf8JsonWriter.WriteStringValue(string)"/> with the default encoder
        /// writes it. Text with nothing to escape goes to the writer itself. Text with something to escape (a prompt
        /// with a newline or an apostrophe: nearly all of them) is escaped here, run by run — the writer falls back
        /// to one character at a time from the first escape on, which was most of a key's cost — with the writer's
        /// rules, checked for every UTF-16 code unit by the tests: \b \t \n \f \r and \\ short; any other
        /// control, the HTML-sensitive ASCII above, DEL and every non-ASCII code unit as \uXXXX (upper-case hex; a
        /// surrogate pair as its two units); a lone surrogate as \uFFFD.
        /// </summary>
        private static void WriteText(Utf8JsonWriter writer, string value)
        {
            if (NeedsEscaping(value))
            {
                WriteEscaped(writer, value);
            }
            else
            {
                writer.WriteStringValue(value);
            }
        }

        /// <summary>Whether <see cref="WriteEscaped"/> writes the text (false: the writer itself, nothing to escape or very long).</summary>
        private static bool NeedsEscaping(string value) => value.Length <= MaxEscapedLength && value.AsSpan().ContainsAnyExcept(Plain);

        private static void WriteEscaped(Utf8JsonWriter writer, string value)
        {
            var text = value.AsSpan();
            var first = text.IndexOfAnyExcept(Plain);

            // At most 6 bytes per UTF-16 code unit (\uXXXX), plus the quotes.
            var rented = ArrayPool<byte>.Shared.Rent((text.Length * 6) + 2);
            try
            {
                var output = rented.AsSpan();
                output[0] = (byte)'"';
                var written = 1;
                while (true)
                {
                    var run = first < 0 ? text : text[..first];
                    System.Text.Ascii.FromUtf16(run, output[written..], out var narrowed);
                    written += narrowed;
                    if (first < 0)
                    {
                        break;
                    }

                    var c = text[first];
                    text = text[(first + 1)..];
                    switch (c)
                    {
                        case '\b':
                            written += Short(output[written..], (byte)'b');
                            break;
                        case '\t':
                            written += Short(output[written..], (byte)'t');
                            break;
                        case '\n':
                            written += Short(output[written..], (byte)'n');
                            break;
                        case '\f':
                            written += Short(output[written..], (byte)'f');
                            break;
                        case '\r':
                            written += Short(output[written..], (byte)'r');
                            break;
                        case '\\':
                            written += Short(output[written..], (byte)'\\');
                            break;
                        default:
                            if (char.IsHighSurrogate(c) && text.Length > 0 && char.IsLowSurrogate(text[0]))
                            {
                                written += Hex(output[written..], c);
                                written += Hex(output[written..], text[0]);
                                text = text[1..];
                            }
                            else
                            {
                                written += Hex(output[written..], char.IsSurrogate(c) ? '\uFFFD' : c);
                            }

                            break;
                    }

                    first = text.IndexOfAnyExcept(Plain);
                }

                output[written++] = (byte)'"';
                writer.WriteRawValue(output[..written], skipInputValidation: true);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        private static int Short(Span<byte> output, byte letter)
        {
            output[0] = (byte)'\\';
            output[1] = letter;
            return 2;
        }

        private static int Hex(Span<byte> output, char c)
        {
            output[0] = (byte)'\\';
            output[1] = (byte)'u';
            output[2] = HexDigits[c >> 12];
            output[3] = HexDigits[(c >> 8) & 0xF];
            output[4] = HexDigits[(c >> 4) & 0xF];
            output[5] = HexDigits[c & 0xF];
            return 6;
        }

        private static void WriteDecoding(Utf8JsonWriter writer, DecodingParameters d)
        {
            writer.WriteStartObject();
            writer.WriteNumber(Temperature, d.Temperature);
            if (d.TopP is { } topP)
            {
                writer.WriteNumber(TopP, topP);
            }

            writer.WriteNumber(MaxTokens, d.MaxTokens);
            if (d.Seed is { } seed)
            {
                writer.WriteNumber(Seed, seed);
            }

            if (d.Stop is { } stop)
            {
                writer.WritePropertyName(Stop);
                WriteStrings(writer, stop);
            }

            writer.WriteEndObject();
        }

        // Lists: arrays and exactly List<T> without an enumerator object; any other list through its own
        // IEnumerable<T>.GetEnumerator, which is what the serializer walked, so the order is the same by construction.
        private static void WriteList<T>(Utf8JsonWriter writer, IReadOnlyList<T> values, Action<Utf8JsonWriter, T> write)
        {
            writer.WriteStartArray();
            if (values is T[] array)
            {
                foreach (var value in array)
                {
                    write(writer, value);
                }
            }
            else if (values.GetType() == typeof(List<T>))
            {
                foreach (var value in (List<T>)values)
                {
                    write(writer, value);
                }
            }
            else
            {
                foreach (var value in values)
                {
                    write(writer, value);
                }
            }

            writer.WriteEndArray();
        }

        private static void WriteStrings(Utf8JsonWriter writer, IReadOnlyList<string> values) => WriteList(writer, values, static (w, value) =>
        {
            if (value is null)
            {
                w.WriteNullValue();
            }
            else
            {
                WriteText(w, value);
            }
        });

        private static void WriteMessages(Utf8JsonWriter writer, IReadOnlyList<ChatMessage> messages) => WriteList(writer, messages, static (w, message) =>
        {
            if (message is null)
            {
                w.WriteNullValue();
                return;
            }

            w.WriteStartObject();
            WriteIfNotNull(w, Role, message.Role);
            WriteIfNotNull(w, Content, message.Content);
            w.WriteEndObject();
        });

        private static void WriteChoices(Utf8JsonWriter writer, IReadOnlyList<AnswerChoice> choices) => WriteList(writer, choices, static (w, choice) =>
        {
            if (choice is null)
            {
                w.WriteNullValue();
                return;
            }

            w.WriteStartObject();
            WriteIfNotNull(w, Label, choice.Label);
            WriteIfNotNull(w, Text, choice.Text);
            w.WriteEndObject();
        });

        /// <summary>
        /// Exactly Dictionary or SortedDictionary (not a subclass, which could re-implement the enumeration the
        /// serializer used): their keys cannot be null and their own enumerators are the serializer's order.
        /// </summary>
        private static bool IsKnownDictionary(IReadOnlyDictionary<string, double> features) =>
            features.GetType() == typeof(Dictionary<string, double>) || features.GetType() == typeof(SortedDictionary<string, double>);

        /// <summary>The two dictionary types of <see cref="IsKnownDictionary"/> (TryWrite sends any other to the serializer).</summary>
        private static void WriteFeatures(Utf8JsonWriter writer, IReadOnlyDictionary<string, double> features)
        {
            writer.WriteStartObject();
            if (features is Dictionary<string, double> dictionary) // exactly, per IsKnownDictionary
            {
                foreach (var (key, value) in dictionary)
                {
                    writer.WritePropertyName(key);
                    writer.WriteNumberValue(value);
                }
            }
            else
            {
                foreach (var (key, value) in (SortedDictionary<string, double>)features)
                {
                    writer.WritePropertyName(key);
                    writer.WriteNumberValue(value);
                }
            }

            writer.WriteEndObject();
        }
    }

    /// <summary>One reusable byte buffer per thread for the canonical JSON; a buffer grown past 1 MB is not kept.</summary>
    private static class ScratchBuffer
    {
        private const int KeepAtMost = 1 << 20;

        [ThreadStatic]
        private static ArrayBufferWriter<byte>? _idle;

        public static ArrayBufferWriter<byte> Rent()
        {
            var buffer = _idle ?? new ArrayBufferWriter<byte>(4096);
            _idle = null;
            buffer.ResetWrittenCount();
            return buffer;
        }

        public static void Return(ArrayBufferWriter<byte> buffer)
        {
            if (buffer.Capacity <= KeepAtMost)
            {
                _idle = buffer;
            }
        }
    }
}
