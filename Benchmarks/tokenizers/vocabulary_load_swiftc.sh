#!/usr/bin/env bash
# Times loading the built-in vocabularies with the sources compiled by `swiftc -O -wmo` outside
# SwiftPM (minutes cheaper than a cold release build of the whole package; BENCHMARKS.md, "Load at
# startup"). Needs a debug build of the clone first, for the plugin's generated sources.
# SHA-256 is not part of a built-in load, so a stub stands in for swift-crypto.
# With CORPUS, also counts that file with each vocabulary (best of 3, MB/s): the check that the
# tables, now in their own module, count as fast as before.
# Usage: Benchmarks/tokenizers/vocabulary_load_swiftc.sh CLONE OUTDIR [RUNS] [CORPUS]
set -euo pipefail
clone=$1; out=$2; runs=${3:-9}; corpus=${4:-}
mkdir -p "$out"
generated=$(find "$clone/.build/plugins/outputs" -path "*TollgateVocabularies*" -name "*.swift" | sort)
objects=()
if [ -d "$clone/Sources/TollgateVocabularyTables" ]; then
  swiftc -O -wmo -parse-as-library -module-name TollgateVocabularyTables -emit-module \
    -emit-module-path "$out/TollgateVocabularyTables.swiftmodule" \
    -c "$clone"/Sources/TollgateVocabularyTables/*.swift -o "$out/tables.o"
  objects+=("$out/tables.o")
fi
swiftc -O -wmo -parse-as-library -module-name TollgateVocabularies -emit-module \
  -emit-module-path "$out/TollgateVocabularies.swiftmodule" \
  -c "$clone"/Sources/TollgateVocabularies/*.swift $generated -o "$out/vocabularies.o"
cat > "$out/Digest.swift" <<'SWIFT'
import Foundation
extension TokenEncoding { static func sha256Hex(of data: Data) -> String { "" } }
SWIFT
tokenizers=$(ls "$clone"/Sources/TollgateTokenizers/*.swift | grep -v -e TokenEncoding+Digest -e VocabularyFetcher)
swiftc -O -wmo -parse-as-library -module-name TollgateTokenizers -I "$out" -emit-module \
  -emit-module-path "$out/TollgateTokenizers.swiftmodule" -c $tokenizers "$out/Digest.swift" -o "$out/tokenizers.o"
cat > "$out/main.swift" <<'SWIFT'
import Foundation
import TollgateTokenizers
let runs = Int(CommandLine.arguments[1])!
let clock = ContinuousClock()
func ms(_ d: Duration) -> Double { Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15 }
func median(_ body: () throws -> Void) rethrows -> String {
    var samples: [Double] = []
    for _ in 0..<runs { samples.append(ms(try clock.measure(body))) }
    samples.sort()
    return String(format: "%.1f ms (min %.1f, max %.1f)", samples[runs / 2], samples[0], samples[runs - 1])
}
for encoding in TokenEncoding.allCases {
    print(encoding.rawValue, try median { _ = try VocabularyLocator.builtIn.load(encoding) })
}
print("all three", try median { try TokenizerRegistry(locator: .builtIn).loadAll() })
guard CommandLine.arguments.count > 2 else { exit(0) }
let data = try Data(contentsOf: URL(fileURLWithPath: CommandLine.arguments[2]))
let text = String(decoding: data, as: UTF8.self)
let registry = TokenizerRegistry(locator: .builtIn)
for encoding in TokenEncoding.allCases {
    let tokenizer = try registry.tokenizer(for: encoding)
    var best = Double.infinity
    var tokens = 0
    for _ in 0..<3 { best = min(best, ms(clock.measure { tokens = tokenizer.count(text) }) / 1000) }
    print(encoding.rawValue, String(format: "%.1f MB/s", Double(data.count) / 1e6 / best), tokens, "tokens")
}
SWIFT
swiftc -O -I "$out" "$out/main.swift" "$out/tokenizers.o" "$out/vocabularies.o" "${objects[@]}" -o "$out/loadbench"
uptime
"$out/loadbench" "$runs" ${corpus:+"$corpus"}
