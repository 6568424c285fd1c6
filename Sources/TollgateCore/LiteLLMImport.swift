import Foundation

/// Turns chosen models of a LiteLLM catalog into a new price version (and catalog entries for
/// models the table doesn't know yet), validated as a whole table before anything is written.
///
/// The official book takes LiteLLM's prices as they are (they are the providers' list prices). The
/// relay book is official × a ratio: one for every model (`1` by default: the relay bills list
/// USD, as the shipped table documents), overridden per LiteLLM provider. Models the previous
/// version priced and this import doesn't touch are carried into the new version unchanged, since
/// a version replaces its predecessor whole.
public struct LiteLLMImport: Sendable {
    /// Which models to take.
    public enum Selection: Sendable, Hashable {
        /// These keys of the file.
        case models([String])
        /// Every chat model of this `litellm_provider` that has per-token prices.
        case provider(String)
    }

    /// Which models.
    public var selection: Selection
    /// When the new version starts.
    public var effectiveFrom: Date
    /// The new version's id (the file is `prices/<id>.json`).
    public var versionID: String
    /// Relay price = official × this, in nanos (1.0 = 1_000_000_000).
    public var relayRatio: Int64
    /// Per-provider ratios, overriding ``relayRatio``.
    public var providerRatios: [String: Int64]
    /// Where the prices came from, for the version's `source`.
    public var origin: String

    /// Creates an import.
    public init(
        selection: Selection,
        effectiveFrom: Date,
        versionID: String,
        relayRatio: Int64 = NanoDecimal.scale,
        providerRatios: [String: Int64] = [:],
        origin: String
    ) {
        self.selection = selection
        self.effectiveFrom = effectiveFrom
        self.versionID = versionID
        self.relayRatio = relayRatio
        self.providerRatios = providerRatios
        self.origin = origin
    }

    /// What an import changes: the files to write (new or replaced), and the models it priced.
    public struct Plan: Sendable {
        /// Files whose contents differ from the folder's; empty when the import was already done.
        public let changed: [PricingFile]
        /// Canonical ids priced by the new version from the LiteLLM file.
        public let priced: [ModelID]
        /// Ids added to the catalog.
        public let added: [ModelID]
        /// Keys of the provider passed over because LiteLLM prices them other than per token.
        public let skipped: [String]
    }

    /// Plans the import of `litellm` into the folder `current`, or lists every problem.
    public func plan(litellm: PricingFile, current: [PricingFile]) throws(PricingProblems) -> Plan {
        let table = try PricingTable.load(current)
        let candidates: [LiteLLMEntry.Candidate]
        do { candidates = try LiteLLMEntry.chatEntries(litellm) } catch { throw PricingProblems(problems: [error]) }
        let (entries, skipped) = try select(candidates, file: litellm.path)

        let predecessor = table.priceVersions.last { $0.effectiveFrom < effectiveFrom }
        var books: [PriceBook: [String: PricingText.Entry]] = [:]
        for book in PriceBook.allCases {
            books[book] = (predecessor?.books[book] ?? [:]).reduce(into: [:]) { $0[$1.key.rawValue] = PricingText.entry($1.value) }
        }
        var problems: [PricingError] = []
        var newModels: [String] = []
        var added: [ModelID] = []
        var priced: [ModelID] = []
        for entry in entries {
            let id = table.catalog.resolve(ModelID(rawValue: entry.key))?.id ?? ModelID(rawValue: entry.key)
            if table.catalog.resolve(id) == nil {
                newModels.append(PricingText.modelEntry(entry, counting: Self.counting(for: entry)))
                added.append(id)
            }
            priced.append(id)
            let ratio = providerRatios[entry.provider] ?? relayRatio
            var relay: PricingText.Entry = [:]
            for field in PricingText.order {
                guard let nanos = entry.prices[field] else { continue }
                let scaled = Int128(nanos) * Int128(ratio)
                guard scaled % Int128(NanoDecimal.scale) == 0 else {
                    problems.append(
                        PricingError(
                            .malformed,
                            "relay price = official \(NanoDecimal.format(nanos)) × ratio \(NanoDecimal.format(ratio, minimumFractionDigits: 0)) is not a whole number of nanos per million tokens: choose a ratio with fewer decimals",
                            file: litellm.path,
                            field: "\(entry.key).\(field)"
                        )
                    )
                    continue
                }
                relay[field] = Int64(scaled / Int128(NanoDecimal.scale))
            }
            books[.official]![id.rawValue] = entry.prices
            books[.relay]![id.rawValue] = relay
        }
        guard problems.isEmpty else { throw PricingProblems(problems: problems) }

        let ratios = providerRatios.keys.sorted().map { "\($0) × \(NanoDecimal.format(providerRatios[$0]!, minimumFractionDigits: 0))" }
        let source =
            "Official book: \(origin). Relay book: official × \(NanoDecimal.format(relayRatio, minimumFractionDigits: 0))"
            + (ratios.isEmpty ? "" : " (per provider: \(ratios.joined(separator: ", ")))") + "."
        var written = [
            PricingFile(
                path: "prices/\(versionID).json",
                contents: PricingText.priceVersion(
                    id: versionID,
                    effectiveFrom: effectiveFrom,
                    supersedes: predecessor?.id,
                    source: source,
                    books: books
                )
            )
        ]
        if !newModels.isEmpty {
            written.append(try Self.addModels(newModels, to: current))
        }
        let existing = Dictionary(current.map { ($0.path, $0.contents) }, uniquingKeysWith: { first, _ in first })
        if let old = existing[written[0].path], old != written[0].contents {
            throw PricingProblems(problems: [
                PricingError(
                    .duplicateVersion,
                    "version '\(versionID)' already exists with other contents: a version is never edited once it may have priced usage; \(Self.newVersionID)",
                    file: written[0].path
                )
            ])
        }
        let changed = written.filter { existing[$0.path] != $0.contents }
        // The whole folder as it will be must load, or nothing is written.
        let after = current.filter { file in !changed.contains { $0.path == file.path } } + changed
        _ = try PricingTable.load(after)
        return Plan(changed: changed, priced: priced, added: added, skipped: skipped)
    }

    // Remedies in the domain's words; the CLI names its options after them (`--version`, `--provider`).

    /// What to do about a version id already taken by other prices.
    public static let newVersionID = "import them under a new version id"
    /// The other way to choose models.
    public static let orProvider = "(or take a provider's models)"

    private func select(_ candidates: [LiteLLMEntry.Candidate], file: String) throws(PricingProblems) -> ([LiteLLMEntry], [String]) {
        var chosen: [LiteLLMEntry.Candidate]
        var skipped: [String] = []
        switch selection {
        case .models(let keys):
            chosen = []
            for key in keys {
                guard let candidate = candidates.first(where: { $0.key == key }) else {
                    let error = PricingError(
                        .unknownModel,
                        "'\(key)' is not a chat model of this file: use the file's exact key \(Self.orProvider)",
                        file: file,
                        field: key
                    )
                    chosen.append(LiteLLMEntry.Candidate(key: key, provider: nil, result: .failure(error)))
                    continue
                }
                chosen.append(candidate)
            }
        case .provider(let provider):
            chosen = candidates.filter { $0.provider == provider }
            guard !chosen.isEmpty else {
                let known = Set(candidates.compactMap(\.provider)).sorted()
                throw PricingProblems(problems: [
                    PricingError(
                        .unknownModel,
                        "unknown provider '\(provider)': this file's chat models come from \(known.joined(separator: ", "))",
                        file: file
                    )
                ])
            }
            skipped = chosen.filter(\.unpricedPerToken).map(\.key)
            chosen.removeAll { $0.unpricedPerToken }
        }
        var entries: [LiteLLMEntry] = []
        var problems: [PricingError] = []
        for candidate in chosen {
            switch candidate.result {
            case .success(let entry): entries.append(entry)
            case .failure(let error): problems.append(error)
            }
        }
        guard problems.isEmpty else { throw PricingProblems(problems: problems) }
        return (entries, skipped)
    }

    /// The counting method written for a new model: its provider's published encoding where one is
    /// known (OpenAI's o200k_base, or cl100k_base for GPT-4 and GPT-3.5; DeepSeek-V3), else none,
    /// which the catalog reads as the unlisted estimate.
    static func counting(for entry: LiteLLMEntry) -> TokenCounting? {
        let name = entry.key.split(separator: "/").last.map(String.init) ?? entry.key
        switch entry.provider {
        case "openai", "azure":
            let older = name.hasPrefix("gpt-3.5") || name == "gpt-4" || name.hasPrefix("gpt-4-")
            return .exact(encoding: older ? "cl100k_base" : "o200k_base")
        case "deepseek": return .exact(encoding: "deepseek-v3")
        default: return nil
        }
    }

    /// `models.json` with `entries` added as the first members of `"models"`; the rest of the file
    /// (notes, order, formatting) stays as the operator wrote it.
    static func addModels(_ entries: [String], to current: [PricingFile]) throws(PricingProblems) -> PricingFile {
        guard let models = current.first(where: { $0.path == "models.json" }),
            let anchor = models.contents.range(of: #""models"\s*:\s*\{"#, options: .regularExpression)
        else {
            throw PricingProblems(problems: [
                PricingError(.missingField, "models.json has no \"models\" object to add the imported models to", file: "models.json")
            ])
        }
        let rest = models.contents[anchor.upperBound...]
        let empty = rest.drop { $0.isWhitespace }.first == "}"
        let insertion = "\n" + entries.joined(separator: ",\n") + (empty ? "\n  " : ",")
        return PricingFile(path: "models.json", contents: String(models.contents[..<anchor.upperBound]) + insertion + rest)
    }
}
