using Microsoft.Data.Sqlite;

namespace OpenGovernanceApi.Data;

/// <summary>
/// The get-by-id of every resource, written once: one row by its key (the SQL names it `@Id`), mapped
/// to its response shape on the same connection, or the 404 problem naming what was looked for.
/// </summary>
public static class ItemQuery
{
    public static async Task<Results<Ok<Item<T>>, NotFoundProblem>> FindAsync<TRow, T>(GovernanceDb db, string sql, string resource, string id,
        Func<SqliteConnection, TRow, Task<T>> toResponse, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<TRow>(new CommandDefinition(sql, new { Id = id }, cancellationToken: cancellationToken));
        if (row is null) return NotFoundProblem.For(resource, id);
        return TypedResults.Ok(new Item<T>(await toResponse(connection, row), new ItemMeta(db.DataVersion)));
    }

    /// <summary>The same, for a row whose response needs nothing more from the database.</summary>
    public static Task<Results<Ok<Item<T>>, NotFoundProblem>> FindAsync<TRow, T>(GovernanceDb db, string sql, string resource, string id,
        Func<TRow, T> toResponse, CancellationToken cancellationToken) =>
        FindAsync<TRow, T>(db, sql, resource, id, (_, row) => Task.FromResult(toResponse(row)), cancellationToken);
}
