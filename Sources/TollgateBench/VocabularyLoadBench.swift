import Foundation
import TollgateTokenizers

/// `tollgate-bench tokenizers-load`: what loading the vocabularies costs at startup — each
/// built-in one parsed alone, all three as `serve` loads them, and (with a folder) the same files
/// read from disk and SHA-256-checked as an override.
public enum VocabularyLoadBench {
    /// Runs every measurement `runs` times and reports medians as a Markdown table.
    public static func run(runs: Int, folder: URL?) throws -> String {
        var lines = ["# Vocabulary load", "", "Median of \(runs) runs, single thread, fresh registry each run.", "",
                     "| what | median | min | max |", "|---|---:|---:|---:|"]
        for encoding in TokenEncoding.allCases {
            lines.append(row("\(encoding.rawValue), built-in", try measure(runs) { _ = try VocabularyLocator.builtIn.load(encoding) }))
        }
        lines.append(row("all three, built-in (`serve` startup)", try measure(runs) {
            try TokenizerRegistry(locator: .builtIn).loadAll()
        }))
        if let folder {
            let locator = VocabularyLocator(searchDirectories: [folder])
            for encoding in TokenEncoding.allCases {
                lines.append(row("\(encoding.rawValue), from \(folder.path) (read + SHA-256 + parse)", try measure(runs) { _ = try locator.load(encoding) }))
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
