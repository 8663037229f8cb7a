using ValidationLab.Requests;
using ValidationLab.Runners;

namespace ValidationLab.Store.Tests.CacheKeyIdentity;

/// <summary>
/// Keys pinned as the reflection serializer computed them (main at 2561e0f, before the hand-written writer): these are
/// the keys already in users' stores, so they must never change, whatever the oracle copy says.
/// </summary>
public sealed class PinnedCacheKeyTests
{
    private static readonly RunnerIdentity OpenAi = new()
    {
        Runner = "openai",
        Model = "meta-llama/Llama-3.1-8B-Instruct",
        Source = "http://127.0.0.1:8080/v1",
        Fingerprint = "3f2a9c5e7d1b4a6f8e0c2d4b6a8f0e1c3d5b7a9f1e3c5d7b9a0f2e4c6d8b0a1f",
    };

    private static readonly RunnerIdentity Local = new() { Runner = "llamacpp", Model = "qwen2.5-0.5b-instruct-q4_k_m.gguf", Fingerprint = "gguf:1" };

    public static TheoryData<string> Names() => new(Requests.Keys);

    private static readonly Dictionary<string, (RunnerIdentity Identity, ModelRequest Request)> Requests = new(StringComparer.Ordinal)
    {
        ["medqa-generate"] = (OpenAi, new GenerateRequest
        {
            Suite = "medqa",
            ItemId = "test-0001",
            Choices = [new("A", "Ampicillin"), new("B", "Ceftriaxone"), new("C", "Doxycycline"), new("D", "Nitrofurantoin")],
            Messages =
            [
                new("system", "You are a medical expert. Answer with the letter of the best option."),
                new("user", "A 23-year-old pregnant woman at 22 weeks presents with burning upon urination...\nA. Ampicillin\nB. Ceftriaxone\nC. Doxycycline\nD. Nitrofurantoin\nAnswer:"),
            ],
        }),
        ["medqa-loglikelihood"] = (Local, new LogLikelihoodRequest
        {
            Suite = "medqa",
            ItemId = "test-0001",
            RequestId = "0",
            Context = "Question: Which drug is safest?\nA. Ampicillin\nB. Ceftriaxone\nAnswer:",
            Continuations = [" A", " B", " C", " D"],
        }),
        ["risk-features"] = (OpenAi, new RiskRequest
        {
            Suite = "longitudinal",
            ItemId = "p17/enc3/2131-05-02T06:00",
            PatientId = "p17",
            AsOf = new DateTimeOffset(2131, 5, 2, 6, 0, 0, TimeSpan.Zero),
            Outcome = "deterioration",
            HorizonHours = 24,
            Context = "Vitals (last 24 h): HR 112, RR 24, SpO2 91% on air, T 38.4 °C, SBP 96.",
            Features = new SortedDictionary<string, double>(StringComparer.Ordinal) { ["heart_rate"] = 112, ["news2"] = 7, ["spo2"] = 0.91, ["temperature"] = 38.4, ["creatinine"] = 1.0 / 3 },
            Messages = [new("system", "Estimate the probability."), new("user", "…")],
        }),
        ["generate-unicode-decoding"] = (Local, new GenerateRequest
        {
            Suite = "s",
            ItemId = "i",
            Messages = [new("user", "Fièvre à 39 °C, « toux » <script>&'\"\\\t\u0001\u2028 😷 \ud800")],
            Decoding = new DecodingParameters { Temperature = 0.7, TopP = 0.95, MaxTokens = 64, Seed = -1, Stop = ["\n\n", "</s>"] },
        }),
        ["risk-nulls"] = (Local, new RiskRequest
        {
            Suite = "s",
            ItemId = "i",
            PatientId = "p",
            AsOf = new DateTimeOffset(2020, 2, 29, 23, 59, 59, 999, TimeSpan.FromMinutes(-330)).AddTicks(1234),
            Outcome = "o",
            Context = "",
            Features = new Dictionary<string, double> { ["b"] = -0.0, ["a"] = 1e-7, ["c"] = 1e21 },
            Choices = [],
        }),
    };

    private static readonly Dictionary<string, (string CacheKey, string RequestHash)> Pinned = new(StringComparer.Ordinal)
    {
        ["medqa-generate"] = ("d37a8aa683eaf056067c6ff3db950962bf086a6ea6fe69ef80ef17531270307a", "60442e1c44efd5914ac2bf8c6c976e6cfd3aadba25052b9580a6e7b4bab042c9"),
        ["medqa-loglikelihood"] = ("c73805d5136f09bef1bcff4b2c5e4df1ba8015954dc723bf967cddb8f0cc3c5a", "a4c7f6a78a02f5fbcea100287ecedcf820a3bfb99859442baa402f701eb24dcd"),
        ["risk-features"] = ("1d23c433cefb6af6b55b5ddf1f777e852d71c41c245c8217cd7885d2efa435b3", "0ec6a0461922f37f89cb6117804253e9579d5ad9e2f8934f85698a8d2bffa1bb"),
        ["generate-unicode-decoding"] = ("40802cc2a28bf6f4b8154462c9fea984b5d850845bced05dec2ef028e3977ec1", "212533979ba57dc1e04e980ad6c0e816f064f763956de8178fd79d626cfaa345"),
        ["risk-nulls"] = ("499e55bc6ebf9d566941bec3851b2a2bb2e7b3225b8bd410fbd0e9d1ed537b50", "5e65c7b62c1b79622b565f1fd1962474ccf1e592254ab3fa079b81a79dec835f"),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void Cache_key_and_request_hash_are_the_ones_already_in_users_stores(string name)
    {
        var (identity, request) = Requests[name];
        Assert.Equal(Pinned[name], CacheKeys.Compute(identity, request));
        Assert.Equal(Pinned[name].CacheKey, CacheKeys.CacheKey(identity, request));
        Assert.Equal(Pinned[name].RequestHash, RequestHasher.Hash(request));
    }

    [Fact]
    public void Canonical_json_is_the_one_the_keys_were_made_from()
    {
        Assert.Equal(
            """{"kind":"generate","messages":[{"role":"user","content":"Fi\u00E8vre \u00E0 39 \u00B0C, \u00AB toux \u00BB \u003Cscript\u003E\u0026\u0027\u0022\\\t\u0001\u2028 \uD83D\uDE37 \uFFFD"}],"decoding":{"temperature":0.7,"top_p":0.95,"max_tokens":64,"seed":-1,"stop":["\n\n","\u003C/s\u003E"]},"suite":"","item_id":"","request_id":""}""",
            RequestHasher.CanonicalJson(Requests["generate-unicode-decoding"].Request));
        Assert.Equal(
            """{"kind":"risk","patient_id":"p","as_of":"2020-02-29T23:59:59.9991234-05:30","outcome":"o","horizon_hours":24,"context":"","features":{"b":-0,"a":1E-07,"c":1E+21},"suite":"","item_id":"","request_id":"","choices":[]}""",
            RequestHasher.CanonicalJson(Requests["risk-nulls"].Request));
    }
}
