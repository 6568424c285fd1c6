import Foundation

extension PricingTable {
    /// Parses and validates a pricing folder: `models.json`, `prices/*.json` and `fx/*.json`.
    ///
    /// Every problem is collected before failing, so `tollgate pricing check` can list them all at once.
    public static func load(_ files: [PricingFile]) throws(PricingProblems) -> PricingTable {
        var problems: [PricingError] = []
        func attempt<T>(_ body: () throws(PricingError) -> T) -> T? {
            do { return try body() } catch {
                problems.append(error)
                return nil
            }
        }

        let modelsFile = files.first { $0.path == "models.json" }
        let catalog: ModelCatalog? = modelsFile.flatMap { file in attempt { () throws(PricingError) in try parseModels(file) } }
        if modelsFile == nil {
            problems.append(PricingError(.missingField, "models.json is missing: the pricing folder must list its models there"))
        }
        let priceFiles = files.filter { $0.path.hasPrefix("prices/") && $0.path.hasSuffix(".json") }
        let fxFiles = files.filter { $0.path.hasPrefix("fx/") && $0.path.hasSuffix(".json") }
        if priceFiles.isEmpty { problems.append(PricingError(.missingField, "no price versions: add prices/<version>.json")) }
        if fxFiles.isEmpty { problems.append(PricingError(.missingField, "no FX versions: add fx/<version>.json")) }

        guard let catalog else { throw PricingProblems(problems: problems) }
        let prices = priceFiles.compactMap { file in
            attempt { () throws(PricingError) in (try parsePriceVersion(file, catalog: catalog), file.path) }
        }
        let fx = fxFiles.compactMap { file in attempt { () throws(PricingError) in (try parseFXVersion(file), file.path) } }
        problems += checkSequence(prices.map { ($0.0.id, $0.0.effectiveFrom, $0.0.supersedes, $0.1) }, kind: "price")
        problems += checkSequence(fx.map { ($0.0.id, $0.0.effectiveFrom, $0.0.supersedes, $0.1) }, kind: "FX")
        guard problems.isEmpty else { throw PricingProblems(problems: problems) }
        return PricingTable(catalog: catalog, priceVersions: prices.map(\.0), fxVersions: fx.map(\.0))
    }

    static func parsePriceVersion(_ file: PricingFile, catalog: ModelCatalog) throws(PricingError) -> PriceVersion {
        let reader = JSONFieldReader(file)
        let root = try reader.root()
        let booksObject = try reader.object(root, ["books"])
        var books: [PriceBook: [ModelID: ModelPrice]] = [:]
        for name in booksObject.keys.sorted() {
            guard let book = PriceBook(rawValue: name) else {
                throw reader.error(
                    .malformed,
                    ["books", name],
                    "unknown price book: use \(PriceBook.allCases.map(\.rawValue).joined(separator: " and "))"
                )
            }
            let models = try reader.object(booksObject, ["books", name])
            var prices: [ModelID: ModelPrice] = [:]
            for id in models.keys.sorted() {
                let path = ["books", name, id]
                if let canonical = catalog.aliases[ModelID(rawValue: id)] {
                    throw reader.error(
                        .unknownModel,
                        path,
                        "'\(id)' is an alias of '\(canonical)': price the canonical id, which its aliases bill as"
                    )
                }
                guard catalog.models[ModelID(rawValue: id)] != nil else {
                    throw PricingError.unknownModel(
                        ModelID(rawValue: id),
                        known: catalog.ids,
                        file: file.path,
                        line: reader.line(of: path),
                        field: path.joined(separator: ".")
                    )
                }
                let entry = try reader.object(models, path)
                prices[ModelID(rawValue: id)] = ModelPrice(
                    inputPerMillion: try reader.decimal(entry, path + ["input"]),
                    cachedInputPerMillion: entry["cached_input"] == nil ? nil : try reader.decimal(entry, path + ["cached_input"]),
                    outputPerMillion: try reader.decimal(entry, path + ["output"]),
                    cacheWrite5mPerMillion: entry["cache_write_5m"] == nil ? nil : try reader.decimal(entry, path + ["cache_write_5m"]),
                    cacheWrite1hPerMillion: entry["cache_write_1h"] == nil ? nil : try reader.decimal(entry, path + ["cache_write_1h"])
                )
            }
            books[book] = prices
        }
        for book in PriceBook.allCases where books[book] == nil {
            throw reader.error(.missingField, ["books", book.rawValue], "is required: every version prices both the relay and the official book")
        }
        return PriceVersion(
            id: try reader.string(root, ["version"]),
            effectiveFrom: try reader.instant(root, ["effective_from"]),
            supersedes: try reader.optionalString(root, ["supersedes"]),
            source: try reader.string(root, ["source"]),
            books: books
        )
    }

    static func parseFXVersion(_ file: PricingFile) throws(PricingError) -> FXVersion {
        let reader = JSONFieldReader(file)
        let root = try reader.root()
        let ratesObject = try reader.object(root, ["cny_per_usd"])
        var rates: [FXSchedule: FXRate] = [:]
        for schedule in FXSchedule.allCases {
            rates[schedule] = FXRate(cnyPerUSD: try reader.decimal(ratesObject, ["cny_per_usd", schedule.rawValue], allowZero: false))
        }
        for name in ratesObject.keys where FXSchedule(rawValue: name) == nil {
            throw reader.error(
                .malformed,
                ["cny_per_usd", name],
                "unknown FX schedule: use \(FXSchedule.allCases.map(\.rawValue).joined(separator: " and "))"
            )
        }
        return FXVersion(
            id: try reader.string(root, ["version"]),
            effectiveFrom: try reader.instant(root, ["effective_from"]),
            supersedes: try reader.optionalString(root, ["supersedes"]),
            source: try reader.string(root, ["source"]),
            rates: rates
        )
    }

    /// Ids and effective instants must be unique; a declared predecessor must exist and start earlier.
    static func checkSequence(_ versions: [(id: String, start: Date, supersedes: String?, file: String)], kind: String) -> [PricingError] {
        var problems: [PricingError] = []
        var byID: [String: Date] = [:]
        var byStart: [Date: String] = [:]
        for version in versions {
            if byID[version.id] != nil {
                problems.append(
                    PricingError(
                        .duplicateVersion,
                        "\(kind) version id '\(version.id)' is used by two files: give each version its own id",
                        file: version.file,
                        field: "version"
                    )
                )
            }
            if let other = byStart[version.start] {
                problems.append(
                    PricingError(
                        .duplicateVersion,
                        "\(kind) versions '\(other)' and '\(version.id)' both start at \(iso(version.start)): two versions cannot be in force at once",
                        file: version.file,
                        field: "effective_from"
                    )
                )
            }
            byID[version.id] = version.start
            byStart[version.start] = version.id
        }
        for version in versions {
            guard let predecessor = version.supersedes else { continue }
            guard let predecessorStart = byID[predecessor] else {
                problems.append(
                    PricingError(
                        .unknownPredecessor,
                        "supersedes '\(predecessor)', which no \(kind) file defines",
                        file: version.file,
                        field: "supersedes"
                    )
                )
                continue
            }
            if version.start <= predecessorStart {
                problems.append(
                    PricingError(
                        .supersedesLater,
                        "version '\(version.id)' starts at \(iso(version.start)), not after '\(predecessor)' (\(iso(predecessorStart))) which it supersedes",
                        file: version.file,
                        field: "effective_from"
                    )
                )
            }
        }
        return problems
    }
}
