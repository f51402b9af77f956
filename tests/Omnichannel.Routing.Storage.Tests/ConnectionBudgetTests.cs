using Npgsql;

namespace Omnichannel.Routing.Storage.Tests;

public sealed class ConnectionBudgetTests
{
    private const string Given = "Host=db;Username=routing;Database=routing";

    [Fact]
    public void The_data_source_is_bounded_by_the_setting_skips_the_reset_on_reuse_and_prepares_its_statements()
    {
        var built = new NpgsqlConnectionStringBuilder(ConnectionBudget.DataSourceConnectionString(Given, maxPoolSize: 20));

        Assert.Equal(20, built.MaxPoolSize);
        Assert.True(built.NoResetOnClose);
        Assert.Equal(ConnectionBudget.PreparedStatements, built.MaxAutoPrepare);
        Assert.Equal("db", built.Host);
    }

    [Theory]
    [InlineData("Maximum Pool Size=7;No Reset On Close=false;Max Auto Prepare=0")]
    [InlineData("maxpoolsize=7;NoResetOnClose=false;maxautoprepare=0")]
    public void What_the_connection_string_sets_itself_is_kept(string explicitSettings)
    {
        var built = new NpgsqlConnectionStringBuilder(ConnectionBudget.DataSourceConnectionString($"{Given};{explicitSettings}", maxPoolSize: 20));

        Assert.Equal(7, built.MaxPoolSize);
        Assert.False(built.NoResetOnClose);
        Assert.Equal(0, built.MaxAutoPrepare);
    }

    [Fact]
    public void The_clustering_provider_gets_a_small_pool_of_its_own_on_the_same_database()
    {
        var built = new NpgsqlConnectionStringBuilder(ConnectionBudget.ClusteringConnectionString($"{Given};Maximum Pool Size=50"));

        Assert.Equal(ConnectionBudget.ClusteringPoolSize, built.MaxPoolSize);
        Assert.Equal("routing", built.Database);
    }
}
