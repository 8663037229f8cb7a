using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using ValidationLab.Cli;

namespace ValidationLab.EndToEnd.Tests.Support;

/// <summary>What one `validationlab` invocation returned and printed.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public string[] ErrorLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

public static class Repo
{
    public static string Root => ValidationLab.Testing.TestRepository.Root;

    /// <summary>The bundled 43-item MedQA fixture.</summary>
    public static string MedQaFixture => Path.Combine(Root, "fixtures", "medqa", "medqa-fixture.jsonl");

    public const int FixtureItems = 43;

    /// <summary>validationlab.dll: beside the test assembly (copied by the project reference), else the CLI's own bin.</summary>
    public static string CliDll()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "validationlab.dll");
        if (File.Exists(beside) && File.Exists(Path.Combine(AppContext.BaseDirectory, "validationlab.runtimeconfig.json")))
        {
            return beside;
        }

        var config = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Debug";
        var own = Path.Combine(Root, "harness", "ValidationLab.Cli", "bin", config, "net10.0", "validationlab.dll");
        return File.Exists(own) ? own : throw new FileNotFoundException("validationlab.dll not found beside the tests nor in the CLI's bin", own);
    }
}

/// <summary>The fake endpoint as these tests use it: multiple-choice answers, Retry-After 0 (retries stay quick).</summary>
public static class Endpoint
{
    public static async Task<FakeOpenAIServer> StartAsync()
    {
        var server = await FakeOpenAIServer.StartAsync();
        server.ChatReply = FakeOpenAIServer.MultipleChoiceReply;
        server.RetryAfter = "0";
        return server;
    }
}

/// <summary>
/// One test's world: a temp folder, a distinctive API key in an environment variable whose name is unique to
/// the test (tests run in parallel), and helpers to run the CLI against a fake server. Disposing removes both.
/// </summary>
public sealed class Workspace : IDisposable
{
    public Workspace(string name)
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        Dir = Path.Combine(Path.GetTempPath(), $"vl-e2e-{name}-{id}");
        Directory.CreateDirectory(Dir);
        KeyEnv = $"VL_E2E_KEY_{name.ToUpperInvariant()}_{id}";
        Key = $"sk-test-DO-NOT-LEAK-{id}-{name}";
        Environment.SetEnvironmentVariable(KeyEnv, Key);
    }

    public string Dir { get; }

    public string KeyEnv { get; }

    public string Key { get; }

    public string Store => Path.Combine(Dir, "store", "store.db");

    public string At(string name) => Path.Combine(Dir, name);

    /// <summary>Arguments for `run` on the MedQA fixture with the openai runner against <paramref name="server"/>.</summary>
    public List<string> RunArgs(FakeOpenAIServer server, string outName, string? store = null, string model = "e2e-model", int concurrency = 4, params string[] extra)
    {
        var args = new List<string>
        {
            "run", "--suite", "medqa", "--data", Repo.MedQaFixture, "--runner", "openai",
            "--runner-option", $"base_url={server.BaseUrl}",
            "--runner-option", $"model={model}",
            "--runner-option", $"api_key_env={KeyEnv}",
            "--runner-option", $"max_concurrency={concurrency}",
            "--runner-option", "timeout_seconds=300", // never meant to fire: held requests end by release, cancel or kill
            "--runner-option", "retry_base_delay_seconds=0.01",
            "--runner-option", "retry_max_delay_seconds=0.05",
            "--store", store ?? Store,
            "--out", At(outName),
        };
        args.AddRange(extra);
        return args;
    }

    public static async Task<CliResult> RunInProcessAsync(IEnumerable<string> args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        // No time limit here: a slow machine is not a failure; a hang is caught by the test command's hang timeout.
        var code = await CliApplication.RunAsync([.. args], stdout, stderr, CancellationToken.None);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Every file under the workspace (results, reports, the store and its -wal/-shm).</summary>
    public IEnumerable<string> AllFiles() => Directory.EnumerateFiles(Dir, "*", SearchOption.AllDirectories);

    /// <summary>Files under the workspace whose bytes contain <paramref name="secret"/> (UTF-8 or UTF-16); opened shared, so a live store can be read.</summary>
    public List<string> FilesContaining(string secret)
    {
        var utf8 = Encoding.UTF8.GetBytes(secret);
        var utf16 = Encoding.Unicode.GetBytes(secret);
        return AllFiles().Where(f =>
        {
            var bytes = ReadShared(f);
            return bytes.AsSpan().IndexOf(utf8) >= 0 || bytes.AsSpan().IndexOf(utf16) >= 0;
        }).ToList();
    }

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(KeyEnv, null);
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>Reading a run's output folder.</summary>
public static class RunFolder
{
    public static JsonObject Results(string outDir) => JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")))!.AsObject();

    public static List<JsonObject> Items(string outDir) =>
        File.ReadAllLines(Path.Combine(outDir, "items.jsonl")).Where(l => l.Length > 0).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();

    /// <summary>items.jsonl with latency_ms removed (the only field that depends on wall time, not the answers).</summary>
    public static string ItemsWithoutLatency(string outDir) =>
        string.Join('\n', Items(outDir).Select(i =>
        {
            i.Remove("latency_ms");
            return i.ToJsonString();
        }));

    public static long Accounting(JsonObject results, string field) => results["accounting"]![field]!.GetValue<long>();

    public static string SuitesJson(JsonObject results) => results["suites"]!.ToJsonString();
}

/// <summary>The CLI as a child process (`dotnet validationlab.dll …`), so that it can be killed with SIGKILL.</summary>
public sealed class CliProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private CliProcess(Process process) => _process = process;

    public static CliProcess Start(IEnumerable<string> args, string workingDirectory, IReadOnlyDictionary<string, string> environment, string? cliDll = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        info.ArgumentList.Add(cliDll ?? Repo.CliDll());
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["NO_COLOR"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (k, v) in environment)
        {
            info.Environment[k] = v;
        }

        var process = new Process { StartInfo = info };
        var cli = new CliProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (cli._stdout) { cli._stdout.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (cli._stderr) { cli._stderr.AppendLine(e.Data); } } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return cli;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Completes when the process has exited and its output has been read to the end.</summary>
    public Task WaitForExitAsync() => _process.WaitForExitAsync();

    /// <summary>SIGINT, what Ctrl-C in a terminal sends.</summary>
    public void Interrupt()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        kill.WaitForExit();
        Assert.True(kill.ExitCode == 0, $"kill -INT {_process.Id} failed with exit {kill.ExitCode}");
    }

    public int ExitCode => _process.ExitCode;

    public string Stdout { get { lock (_stdout) { return _stdout.ToString(); } } }

    public string Stderr { get { lock (_stderr) { return _stderr.ToString(); } } }

    /// <summary>SIGKILL on Linux: no handler runs, nothing is flushed or cleaned up.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: true);
        if (!_process.WaitForExit(TimeSpan.FromSeconds(15)))
        {
            throw new TimeoutException("the killed CLI did not exit");
        }

        _process.WaitForExit(); // drain the output readers
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(15));
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }
}
