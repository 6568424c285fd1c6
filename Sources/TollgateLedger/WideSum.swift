/// Exact sums of `INTEGER` columns that can't fail in SQL: SQLite's `SUM` raises "integer
/// overflow" for the whole query once a total leaves `Int64`, which made one team's bad entries
/// fail every listing. Each value is split into its high 32 bits (arithmetic shift) and low 32
/// bits; both partial sums stay inside `Int64` for fewer than 2³¹ rows, and Swift adds them
/// back together in 128 bits.
enum WideSum {
    /// `SUM(column >> 32), SUM(column & 0xFFFFFFFF)`, zero when there are no rows.
    static func sql(_ column: String) -> String {
        "COALESCE(SUM(\(column) >> 32), 0), COALESCE(SUM(\(column) & 4294967295), 0)"
    }

    /// The exact total from the two partial sums.
    static func total(high: Int64, low: Int64) -> Int128 {
        Int128(high) * 4_294_967_296 + Int128(low)
    }
}
