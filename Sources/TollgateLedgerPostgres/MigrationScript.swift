import Foundation

/// Splits a migration file into statements: at `;` outside quotes, `$$` bodies and `--` comments.
enum MigrationScript {
    static func statements(_ script: String) -> [String] {
        var statements: [String] = []
        var current = ""
        var (inQuote, inDollar, inComment) = (false, false, false)
        let characters = Array(script)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            let next = index + 1 < characters.count ? characters[index + 1] : nil
            if inComment {
                if character == "\n" {
                    inComment = false
                    current.append(character)
                }
            } else if inDollar {
                current.append(character)
                if character == "$", next == "$" {
                    inDollar = false
                    current.append("$")
                    index += 1
                }
            } else if inQuote {
                current.append(character)
                if character == "'" { inQuote = false }
            } else if character == "-", next == "-" {
                inComment = true
            } else if character == "$", next == "$" {
                inDollar = true
                current.append("$$")
                index += 1
            } else if character == "'" {
                inQuote = true
                current.append(character)
            } else if character == ";" {
                let statement = current.trimmingCharacters(in: .whitespacesAndNewlines)
                if !statement.isEmpty { statements.append(statement) }
                current = ""
            } else {
                current.append(character)
            }
            index += 1
        }
        let last = current.trimmingCharacters(in: .whitespacesAndNewlines)
        if !last.isEmpty { statements.append(last) }
        return statements
    }
}
