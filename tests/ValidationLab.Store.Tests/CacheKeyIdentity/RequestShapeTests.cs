using System.Reflection;
using System.Text.Json.Serialization;
using ValidationLab.Requests;

namespace ValidationLab.Store.Tests.CacheKeyIdentity;

/// <summary>
/// The canonical JSON is written by hand, member by member: a property added to a request type would be left out of
/// the key, and the cache would answer two requests that differ in it with one answer. This pins the members the writer
/// knows; a change here must change RequestHasher's CanonicalWriter (in the serializer's order: derived type first,
/// then the base record) and be checked against the oracle with the new member set.
/// </summary>
public sealed class RequestShapeTests
{
    public static TheoryData<Type, string> Shapes() => new()
    {
        { typeof(GenerateRequest), "Messages Decoding | Suite ItemId RequestId Choices" },
        { typeof(LogLikelihoodRequest), "Context Continuations | Suite ItemId RequestId Choices" },
        { typeof(RiskRequest), "PatientId AsOf Outcome HorizonHours Context Features Messages | Suite ItemId RequestId Choices" },
        { typeof(DecodingParameters), "Temperature TopP MaxTokens Seed Stop" },
        { typeof(ChatMessage), "Role Content" },
        { typeof(AnswerChoice), "Label Text" },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void The_serialized_members_of_each_request_type_are_the_ones_the_canonical_writer_writes(Type type, string expected)
    {
        // What the serializer sees: public instance properties with a getter, not [JsonIgnore]d, derived type's first.
        static string Members(Type t) => string.Join(' ', t.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(p => p.GetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0 && p.GetCustomAttribute<JsonIgnoreAttribute>() is null)
            .Select(p => p.Name));
        var actual = type.BaseType == typeof(ModelRequest) ? $"{Members(type)} | {Members(typeof(ModelRequest))}" : Members(type);
        Assert.Equal(expected, actual);
        Assert.Empty(type.GetCustomAttributes<JsonConverterAttribute>());
        Assert.All(type.GetProperties(), p => Assert.Null(p.GetCustomAttribute<JsonPropertyNameAttribute>()));
    }

    [Fact]
    public void The_contract_registers_exactly_the_request_types_the_writer_writes()
    {
        var registered = typeof(ModelRequest).GetCustomAttributes<JsonDerivedTypeAttribute>()
            .Select(a => $"{a.DerivedType.Name}={a.TypeDiscriminator}").Order(StringComparer.Ordinal);
        Assert.Equal(["GenerateRequest=generate", "LogLikelihoodRequest=loglikelihood", "RiskRequest=risk"], registered);
    }
}
