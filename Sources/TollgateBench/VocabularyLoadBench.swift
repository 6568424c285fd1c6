import Foundation
import TollgateTokenizers
import TollgateVocabularies

/// `tollgate-bench tokenizers-load`: what loading the vocabularies costs at startup — each
/// built-in one alone (from its precomputed tables), all three as `serve` loads them, the same three
/// parsed from the embedded files as before the tables existed, and (with a folder) the files read
/// from disk, SHA-256-checked and parsed as an override.
public enum VocabularyLoadBench {
    /// Runs every measurement `runs` times and reports medians as a Markdown table.
    public static func run(runs: Int, folder: URL?) throws -> String {
        var lines = [
            "# Vocabulary load", "", "Median of \(runs) runs, single thread, fresh registry each run.", "",
            "| what | median | min | max |", "|---|---:|---:|---:|",
        ]
        for encoding in TokenEncoding.allCases {
            lines.append(row("\(encoding.rawValue), built-in", try measure(runs) { _ = try VocabularyLocator.builtIn.load(encoding) }))
        }
        lines.append(
            row(
                "all three, built-in (`serve` startup)",
                try measure(runs) {
                    try TokenizerRegistry(locator: .builtIn).loadAll()
                }
            )
        )
        // What the built-in load replaced: the same embedded files parsed, hashed and inserted at startup.
        lines.append(
            row(
                "all three, parsing the embedded files instead of the precomputed tables",
                try measure(runs) {
                    for encoding in TokenEncoding.allCases {
                        guard let bytes = BuiltInVocabularies.bytes(path: encoding.relativePath) else { continue }
                        _ = try Tokenizer(encoding: encoding, vocabulary: Data(bytes), source: "built-in \(encoding.relativePath)")
                    }
                }
            )
        )
        if let folder {
            let locator = VocabularyLocator(searchDirectories: [folder])
            for encoding in TokenEncoding.allCases {
                lines.append(
                    row("\(encoding.rawValue), from \(folder.path) (read + SHA-256 + parse)", try measure(runs) { _ = try locator.load(encoding) })
                )
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func measure(_ runs: Int, _ body: () throws -> Void) throws -> [Double] {
        let clock = ContinuousClock()
        var samples: [Double] = []
        for _ in 0..<max(1, runs) {
            let elapsed = try clock.measure(body)
            samples.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
        }
        return samples.sorted()
    }

    private static func row(_ label: String, _ samples: [Double]) -> String {
        let format = { (value: Double) in String(format: "%.1f ms", value) }
        return "| \(label) | \(format(samples[samples.count / 2])) | \(format(samples[0])) | \(format(samples[samples.count - 1])) |"
    }
}
