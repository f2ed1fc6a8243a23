package dev.shoal.platform.projection;

/**
 * The schema whose views this build's readers query ({@link ProjectionManager#readSchema()}). Readers write
 * {@code {read}.table} in their SQL and pass it through {@link #sql}, so two builds running side by side during a
 * deploy each read the versions their own code made.
 */
public record ReadSchema(String name) {
    public static final String PLACEHOLDER = "{read}";

    /** Prepares the statement on {@code c}, with every {@code {read}} naming this build's read schema. */
    public java.sql.PreparedStatement prepare(java.sql.Connection c, String statement) throws java.sql.SQLException {
        return c.prepareStatement(sql(statement));
    }

    /** The statement with every {@code {read}} naming this build's read schema. */
    public String sql(String statement) {
        return statement.replace(PLACEHOLDER, name);
    }
}
