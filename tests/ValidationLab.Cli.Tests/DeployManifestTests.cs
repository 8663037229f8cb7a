using System.Text.RegularExpressions;
using ValidationLab.Cli.Tests.Support;
using ValidationLab.Discovery;
using ValidationLab.Pipeline;
using YamlDotNet.RepresentationModel;

namespace ValidationLab.Cli.Tests;

/// <summary>
/// deploy/ (issue 12): the Kubernetes Indexed Job runs one shard per completion index, its shard arguments are what
/// the CLI accepts (checked with the CLI's own parser and <see cref="ItemShard.Parse"/>), the store comes from a
/// Secret, and the merge Job merges the sharded run the shards record in that store, needing no shared volume.
/// </summary>
public sealed class DeployManifestTests
{
    private const string IndexVariable = "$(JOB_COMPLETION_INDEX)";

    private static string ShardsFile => Path.Combine(RepoPaths.Root, "deploy", "validationlab-shards.yaml");

    private static string MergeFile => Path.Combine(RepoPaths.Root, "deploy", "validationlab-merge.yaml");

    [Fact]
    public void Should_Be_An_Indexed_Job_With_As_Many_Completions_As_Shards()
    {
        // Given
        var job = Load(ShardsFile);
        var spec = Map(job, "spec");
        var completions = int.Parse(Text(spec, "completionMode") == "Indexed" ? Text(spec, "completions") : throw new Xunit.Sdk.XunitException("not an Indexed Job"), System.Globalization.CultureInfo.InvariantCulture);
        var args = Args(job);
        var shardArg = args[args.IndexOf("--shard") + 1];

        // Then: every pod's shard argument, with its index substituted, is accepted and names this many shards
        Assert.Equal("Job", Text(job, "kind"));
        Assert.InRange(int.Parse(Text(spec, "parallelism"), System.Globalization.CultureInfo.InvariantCulture), 1, completions);
        Assert.StartsWith(IndexVariable + "/", shardArg, StringComparison.Ordinal);
        for (var index = 0; index < completions; index++)
        {
            var shard = ItemShard.Parse(shardArg.Replace(IndexVariable, index.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), ShardsFile, "args");
            Assert.Equal((index, completions), (shard.Index, shard.Count));
        }

        Assert.Throws<Errors.InputException>(() => ItemShard.Parse(shardArg.Replace(IndexVariable, completions.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), ShardsFile, "args"));
    }

    [Fact]
    public void Should_Have_Arguments_The_CLI_Parser_Accepts()
    {
        foreach (var file in new[] { ShardsFile, MergeFile })
        {
            // Given: the container's command line as a pod would run it (index 0, a store value)
            var job = Load(file);
            var container = Container(job);
            Assert.Equal("validationlab", Assert.Single(((YamlSequenceNode)container.Children["command"]).Children.Cast<YamlScalarNode>()).Value);
            var args = Args(job).Select(a => a.Replace(IndexVariable, "0", StringComparison.Ordinal).Replace("$(STORE)", "Host=db;Database=vl", StringComparison.Ordinal)).ToArray();

            // When
            var root = CliApplication.BuildRoot(new CliContext(TextWriter.Null, TextWriter.Null, new Lazy<PluginCatalog>(() => new PluginCatalog())));
            var parse = root.Parse(args);

            // Then
            Assert.True(parse.Errors.Count == 0, $"{file}: {string.Join("; ", parse.Errors.Select(e => e.Message))}");
        }
    }

    [Fact]
    public void Should_Take_The_Store_From_A_Secret_And_Hold_No_Password()
    {
        // Given
        var job = Load(ShardsFile);
        var args = Args(job);
        var store = args[args.IndexOf("--store") + 1];
        var variable = Regex.Match(store, @"^\$\((\w+)\)$");

        // Then: --store is an environment variable filled from a secretKeyRef
        Assert.True(variable.Success, $"--store is '{store}', not $(VARIABLE)");
        var env = ((YamlSequenceNode)Container(job).Children["env"]).Children.Cast<YamlMappingNode>()
            .Single(e => Text(e, "name") == variable.Groups[1].Value);
        var secret = Map(Map(env, "valueFrom"), "secretKeyRef");
        Assert.False(string.IsNullOrWhiteSpace(Text(secret, "name")));
        Assert.False(string.IsNullOrWhiteSpace(Text(secret, "key")));
        Assert.False(env.Children.ContainsKey("value"), "the store's connection string is written in the manifest");
        foreach (var file in new[] { ShardsFile, MergeFile })
        {
            // Only comments may mention a password (how to create the Secret); no value or Secret object holds one.
            var yaml = string.Join('\n', File.ReadAllLines(file).Where(l => !l.TrimStart().StartsWith('#')));
            Assert.DoesNotMatch(new Regex(@"(?i)(password|pwd)\s*[=:]"), yaml);
            Assert.DoesNotMatch(new Regex(@"(?m)^kind:\s*Secret"), yaml);
        }
    }

    [Fact]
    public void Should_Merge_The_Sharded_Run_The_Shards_Record_Into_From_The_Same_Store_And_Config()
    {
        // Given
        var shards = Load(ShardsFile);
        var merge = Load(MergeFile);
        var shardArgs = Args(shards);
        var mergeArgs = Args(merge);

        // Then: the merge reads the store the shards write (the same Secret) and finds their sharded run by the same
        // config file; it names no shard folder, so no volume has to be shared between the pods.
        Assert.Equal("merge", mergeArgs[0]);
        Assert.Equal(Value(shardArgs, "--config"), Value(mergeArgs, "--config"));
        Assert.Equal(StoreSecret(shards), StoreSecret(merge));
        Assert.DoesNotContain("--run", mergeArgs);
        var valued = new[] { "--store", "--config", "--out" };
        var positional = mergeArgs.Skip(1).Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && !valued.Contains(mergeArgs[i])).ToList();
        Assert.Empty(positional);
        Assert.DoesNotContain(Volumes(merge), v => v.Children.ContainsKey("persistentVolumeClaim") && Text(v, "name") == MountName(merge, Path.GetDirectoryName(Value(mergeArgs, "--out"))!));
        Assert.DoesNotContain(Volumes(shards), v => v.Children.ContainsKey("persistentVolumeClaim") && Text(v, "name") == MountName(shards, Path.GetDirectoryName(Value(shardArgs, "--out"))!));
    }

    private static string Value(List<string> args, string option) => args[args.IndexOf(option) + 1];

    /// <summary>(secret, key) the container's --store variable is read from.</summary>
    private static (string Name, string Key) StoreSecret(YamlMappingNode job)
    {
        var variable = Regex.Match(Value(Args(job), "--store"), @"^\$\((\w+)\)$");
        Assert.True(variable.Success, "--store is not $(VARIABLE)");
        var env = ((YamlSequenceNode)Container(job).Children["env"]).Children.Cast<YamlMappingNode>().Single(e => Text(e, "name") == variable.Groups[1].Value);
        var secret = Map(Map(env, "valueFrom"), "secretKeyRef");
        return (Text(secret, "name"), Text(secret, "key"));
    }

    private static IEnumerable<YamlMappingNode> Volumes(YamlMappingNode job) =>
        ((YamlSequenceNode)Map(Map(Map(job, "spec"), "template"), "spec").Children["volumes"]).Children.Cast<YamlMappingNode>();

    /// <summary>The volume mounted at <paramref name="path"/> in the job's container.</summary>
    private static string MountName(YamlMappingNode job, string path) =>
        Text(((YamlSequenceNode)Container(job).Children["volumeMounts"]).Children.Cast<YamlMappingNode>().Single(m => Text(m, "mountPath") == path), "name");

    private static YamlMappingNode Load(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return (YamlMappingNode)Assert.Single(stream.Documents).RootNode;
    }

    private static YamlMappingNode Map(YamlMappingNode node, string key) => (YamlMappingNode)node.Children[new YamlScalarNode(key)];

    private static string Text(YamlMappingNode node, string key) => ((YamlScalarNode)node.Children[new YamlScalarNode(key)]).Value!;

    private static YamlMappingNode Container(YamlMappingNode job) =>
        (YamlMappingNode)Assert.Single(((YamlSequenceNode)Map(Map(Map(job, "spec"), "template"), "spec").Children["containers"]).Children);

    private static List<string> Args(YamlMappingNode job) =>
        ((YamlSequenceNode)Container(job).Children["args"]).Children.Cast<YamlScalarNode>().Select(s => s.Value!).ToList();
}
