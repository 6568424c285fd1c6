import Foundation

// Build-time tool behind EmbedDataPlugin: writes one Swift file holding every file of the named
// folders as string literals. Arguments: OUTPUT (NAME DIR)...; with --vocabularies, see RawLiteral.swift
// and VocabularyTables.swift.
// Files are sorted by path so the generated source, and the binary, are reproducible.

func swiftLiteral(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\\": out += "\\\\"
        case "\"": out += "\\\""
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if scalar.value < 0x20 {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}

func files(in directory: URL) throws -> [(path: String, contents: String)] {
    let manager = FileManager.default
    guard let walker = manager.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey]) else {
        return []
    }
    let base = directory.standardizedFileURL.path()
    var found: [(String, String)] = []
    for case let url as URL in walker {
        guard (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true else { continue }
        let full = url.standardizedFileURL.path()
        let relative = full.hasPrefix(base) ? String(full.dropFirst(base.count)) : url.lastPathComponent
        let trimmed = relative.hasPrefix("/") ? String(relative.dropFirst()) : relative
        if trimmed.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
        found.append((trimmed, try String(contentsOf: url, encoding: .utf8)))
    }
    return found.sorted { $0.0 < $1.0 }
}

let arguments = CommandLine.arguments.dropFirst()
if arguments.first == "--vocabularies" {
    let rest = Array(arguments.dropFirst())
    guard rest.count >= 2, rest.count % 2 == 0 else {
        FileHandle.standardError.write(Data("usage: tollgate-embed --vocabularies OUTPUT TABLES (PATH FILE)...\n".utf8))
        exit(2)
    }
    do {
        try embedVocabularies(output: rest[0], tables: rest[1], pairs: Array(rest.dropFirst(2)))
    } catch {
        FileHandle.standardError.write(Data("tollgate-embed: \(error)\n".utf8))
        exit(1)
    }
    exit(0)
}
guard let outputPath = arguments.first, arguments.count % 2 == 1 else {
    FileHandle.standardError.write(Data("usage: tollgate-embed OUTPUT (NAME DIR)...\n".utf8))
    exit(2)
}
var source = "// Generated at build time by tollgate-embed from the package's data folders. Do not edit.\n\n"
source += "extension ShippedData {\n"
var pairs = Array(arguments.dropFirst())
while pairs.count >= 2 {
    let name = pairs.removeFirst()
    let directory = URL(fileURLWithPath: pairs.removeFirst(), isDirectory: true)
    source += "    static let \(name): [EmbeddedFile] = [\n"
    for file in try files(in: directory) {
        source += "        EmbeddedFile(path: \(swiftLiteral(file.path)), contents: \(swiftLiteral(file.contents))),\n"
    }
    source += "    ]\n"
}
source += "}\n"
try source.write(toFile: outputPath, atomically: true, encoding: .utf8)
