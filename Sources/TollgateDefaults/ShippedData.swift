/// One data file shipped inside the binary, named by its path below its folder (`prices/2026-11-01.json`).
public struct EmbeddedFile: Sendable, Hashable {
    /// Path relative to the embedded folder, with `/` separators.
    public let path: String
    /// The file's UTF-8 text.
    public let contents: String

    /// Creates an embedded file record.
    public init(path: String, contents: String) {
        self.path = path
        self.contents = contents
    }
}

/// The defaults compiled into Tollgate: the `pricing/` table and the `migrations/` SQL.
///
/// The build plugin generates the file lists from the package folders, so the binary carries
/// exactly what the repository holds and a copied `tollgate` needs nothing beside it.
public enum ShippedData {
    /// Files of `pricing/` (models, price versions, FX versions).
    public static var pricingFiles: [EmbeddedFile] { pricing }

    /// Files of `migrations/`, one dialect folder per engine (`sqlite/0001_initial.sql`).
    public static var migrationFiles: [EmbeddedFile] { migrations }

    /// The migrations of one engine folder, in apply order (file names start with a sequence number).
    public static func migrations(for dialect: String) -> [EmbeddedFile] {
        migrations.filter { $0.path.hasPrefix(dialect + "/") && $0.path.hasSuffix(".sql") }
            .sorted { $0.path < $1.path }
    }
}
