using Microsoft.Data.Sqlite;

namespace OpenGovernanceApi.Data;

/// <summary>
/// The keyset query most collections share: rows after the cursor's id, in id order, one
/// more than the page, plus the total under the same filters. `where` is assembled by the
/// caller from fixed fragments; every client value travels as a parameter.
/// </summary>
public static class PagedQuery
{
    public static async Task<(List<TRow> Rows, int Total)> ByIdAsync<TRow>(SqliteConnection connection, string selectFrom,
        string idColumn, string where, DynamicParameters parameters, PageRequest page, CancellationToken cancellationToken)
    {
        parameters.Add("AfterId", page.After?.Id);
        parameters.Add("Limit", page.SqlLimit);
        var total = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            $"SELECT count(*) FROM ({selectFrom} WHERE {where})", parameters, cancellationToken: cancellationToken));
        var rows = await connection.QueryAsync<TRow>(new CommandDefinition(
            $"{selectFrom} WHERE {where} AND (@AfterId IS NULL OR {idColumn} > @AfterId) ORDER BY {idColumn} LIMIT @Limit",
            parameters, cancellationToken: cancellationToken));
        return (rows.ToList(), total);
    }
}
