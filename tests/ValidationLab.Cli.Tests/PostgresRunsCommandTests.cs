using ValidationLab.Cli.Tests.Support;

namespace ValidationLab.Cli.Tests;

/// <summary>The registry flow (<see cref="RegistryFlow"/>) on the PostgreSQL server of VALIDATIONLAB_TEST_POSTGRES.</summary>
public sealed class PostgresRunsCommandTests(PostgresRegistryRuns runs) : RegistryFlow(runs), IClassFixture<PostgresRegistryRuns>
{
    /// <summary>A PostgreSQL store is named postgres://user@host:port/database in messages, never with its password.</summary>
    protected override string StoreName => "postgres://" + Settings.Username + "@" + Settings.Host + ":" + Settings.Port + "/";

    protected override string? Secret => Settings.Password;

    private Npgsql.NpgsqlConnectionStringBuilder Settings => new(runs.Store);

    [PostgresFact]
    public Task Runs_list_shows_every_recorded_run_newest_first_and_its_filters_select() => Check_Runs_list_shows_every_recorded_run_newest_first_and_its_filters_select();

    [PostgresFact]
    public Task Runs_export_gives_back_the_run_folder_byte_for_byte_and_refuses_a_folder_that_holds_files() => Check_Runs_export_gives_back_the_run_folder_byte_for_byte_and_refuses_a_folder_that_holds_files();

    [PostgresFact]
    public Task Runs_show_gives_the_manifest_facts_and_every_metric_with_its_interval_and_method() => Check_Runs_show_gives_the_manifest_facts_and_every_metric_with_its_interval_and_method();

    [PostgresFact]
    public Task An_unknown_run_id_is_bad_input_naming_it_and_the_store() => Check_An_unknown_run_id_is_bad_input_naming_it_and_the_store();

    [PostgresFact]
    public Task Compare_and_gate_name_an_unknown_run_id_and_the_store_with_exit_2() => Check_Compare_and_gate_name_an_unknown_run_id_and_the_store_with_exit_2();

    [PostgresFact]
    public Task Compare_by_run_id_gives_the_comparison_it_gives_by_folder_and_records_it() => Check_Compare_by_run_id_gives_the_comparison_it_gives_by_folder_and_records_it();

    [PostgresFact]
    public Task Gate_by_run_id_gives_the_verdict_it_gives_by_folder_marks_the_run_promoted_and_list_finds_it() => Check_Gate_by_run_id_gives_the_verdict_it_gives_by_folder_marks_the_run_promoted_and_list_finds_it();

    [PostgresFact]
    public Task Gate_by_run_id_reads_the_sign_offs_from_the_store() => Check_Gate_by_run_id_reads_the_sign_offs_from_the_store();

    [PostgresFact]
    public Task Gate_by_run_id_without_out_is_bad_input_because_the_run_has_no_folder() => Check_Gate_by_run_id_without_out_is_bad_input_because_the_run_has_no_folder();

    [PostgresFact]
    public Task The_second_run_of_a_model_draws_a_trend_over_the_first_and_report_re_renders_the_same_bytes() => Check_The_second_run_of_a_model_draws_a_trend_over_the_first_and_report_re_renders_the_same_bytes();

    [PostgresFact]
    public Task A_run_with_no_registry_is_not_recorded_and_writes_no_trend() => Check_A_run_with_no_registry_is_not_recorded_and_writes_no_trend();
}

/// <summary>
/// The three runs of <see cref="RegistryRuns"/> recorded on PostgreSQL. Made only when a test runs (a skipped test
/// makes none). Run ids are unique, so runs of earlier test sessions in the same database do not disturb the tests,
/// which look only at this fixture's runs.
/// </summary>
public sealed class PostgresRegistryRuns : RegistryRuns
{
    public PostgresRegistryRuns()
        : base(Environment.GetEnvironmentVariable(ValidationLab.Testing.TestPostgres.Variable) ?? "")
    {
    }
}
