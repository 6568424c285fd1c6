@testable import TollgateCore

/// Small pricing folders built in code, so each validation rule is tested by one precise change.
enum PricingFixtures {
    static let models = PricingFile(
        path: "models.json",
        contents: """
            {
              "models": {
                "gpt-4.1": { "provider": "openai", "max_output_tokens": 32768 },
                "deepseek-v3.2": { "provider": "deepseek", "max_output_tokens": 8192 }
              }
            }
            """
    )

    static func prices(
        _ version: String,
        from start: String,
        supersedes: String? = nil,
        gptOutput: String = "\"8.00\"",
        model: String = "gpt-4.1",
        omitOfficial: Bool = false
    ) -> PricingFile {
        let book = """
            {
                  "\(model)": { "input": "2.00", "cached_input": "0.50", "output": \(gptOutput) },
                  "deepseek-v3.2": { "input": "0.28", "cached_input": "0.028", "output": "0.42" }
                }
            """
        return PricingFile(
            path: "prices/\(version).json",
            contents: """
                {
                  "version": "\(version)",
                  "effective_from": "\(start)",
                  "supersedes": \(supersedes.map { "\"\($0)\"" } ?? "null"),
                  "source": "test",
                  "books": {
                    "relay": \(book)\(omitOfficial ? "" : ",\n    \"official\": \(book)")
                  }
                }
                """
        )
    }

    static func fx(_ version: String, from start: String, baseline: String = "7.3", supersedes: String? = nil) -> PricingFile {
        PricingFile(
            path: "fx/\(version).json",
            contents: """
                {
                  "version": "\(version)",
                  "effective_from": "\(start)",
                  "supersedes": \(supersedes.map { "\"\($0)\"" } ?? "null"),
                  "source": "test",
                  "cny_per_usd": { "relay": "1", "baseline": "\(baseline)" }
                }
                """
        )
    }

    static var valid: [PricingFile] {
        [models, prices("v1", from: "2026-10-01T00:00:00Z"), fx("fx1", from: "2026-10-01T00:00:00Z")]
    }

    /// The problems loading `files` reports, or none.
    static func problems(_ files: [PricingFile]) -> [PricingError] {
        do {
            _ = try PricingTable.load(files)
            return []
        } catch {
            return error.problems
        }
    }
}
