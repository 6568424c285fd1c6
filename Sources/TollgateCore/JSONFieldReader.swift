import Foundation

/// Reads typed fields from one parsed JSON file, turning every mismatch into a `PricingError` that
/// names the file, the field's dotted path and, when it can be found, its line.
struct JSONFieldReader {
    let file: PricingFile
    private let lines: [Substring]

    init(_ file: PricingFile) {
        self.file = file
        self.lines = file.contents.split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// Parses the file's top-level object.
    func root() throws(PricingError) -> [String: Any] {
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(file.contents.utf8))
        } catch {
            throw PricingError(.malformed, "not valid JSON (\(Self.reason(error))): check quotes, commas and braces", file: file.path)
        }
        guard let object = parsed as? [String: Any] else {
            throw PricingError(.malformed, "the file must hold one JSON object {...}", file: file.path)
        }
        return object
    }

    func object(_ container: [String: Any], _ path: [String]) throws(PricingError) -> [String: Any] {
        guard let value = try required(container, path) as? [String: Any] else {
            throw error(.malformed, path, "must be an object {...}")
        }
        return value
    }

    func string(_ container: [String: Any], _ path: [String]) throws(PricingError) -> String {
        guard let value = try required(container, path) as? String, !value.isEmpty else {
            throw error(.malformed, path, "must be a non-empty string")
        }
        return value
    }

    func optionalString(_ container: [String: Any], _ path: [String]) throws(PricingError) -> String? {
        guard let value = container[path.last!], !(value is NSNull) else { return nil }
        guard let text = value as? String else { throw error(.malformed, path, "must be a string or null") }
        return text
    }

    /// An optional array of non-empty strings; absent or null is empty.
    func optionalStrings(_ container: [String: Any], _ path: [String]) throws(PricingError) -> [String] {
        guard let value = container[path.last!], !(value is NSNull) else { return [] }
        guard let array = value as? [Any], let strings = array as? [String], !strings.contains(where: \.isEmpty) else {
            throw error(.malformed, path, "must be a list of names, like [\"gpt-4.1-2025-04-14\"]")
        }
        return strings
    }

    func integer(_ container: [String: Any], _ path: [String]) throws(PricingError) -> Int {
        let value = try required(container, path)
        guard let number = value as? NSNumber, !(value is Bool), let exact = Int(exactly: number.doubleValue), exact > 0 else {
            throw error(.malformed, path, "must be a positive whole number")
        }
        return exact
    }

    func instant(_ container: [String: Any], _ path: [String]) throws(PricingError) -> Date {
        let text = try string(container, path)
        guard let date = try? Date(text, strategy: .iso8601) else {
            throw error(.malformed, path, "'\(text)' is not an RFC 3339 instant: write it like 2026-11-01T00:00:00Z")
        }
        return date
    }

    /// A non-negative decimal written as a string, parsed exactly into nanos.
    func decimal(_ container: [String: Any], _ path: [String], allowZero: Bool = true) throws(PricingError) -> Int64 {
        let value = try required(container, path)
        guard let text = value as? String else {
            throw error(
                .malformed,
                path,
                "write the number as a string, like \"8.00\", so it is read exactly (JSON numbers are binary floating point)"
            )
        }
        let nanos: Int64
        do { nanos = try NanoDecimal.parse(text) } catch { throw self.error(.malformed, path, error.description) }
        guard nanos > 0 || (allowZero && nanos == 0) else {
            throw error(.negativeValue, path, "must be \(allowZero ? "zero or more" : "above zero"), got \(text)")
        }
        // Prices (per million tokens) and FX rates share the bound on amounts: far above any real
        // one, and it keeps every cost computed from them checkable in 128-bit arithmetic.
        guard nanos <= Money.maximumNanos else {
            throw error(.outOfRange, path, "must be at most 1000000000, got \(text)")
        }
        return nanos
    }

    func required(_ container: [String: Any], _ path: [String]) throws(PricingError) -> Any {
        guard let value = container[path.last!], !(value is NSNull) else {
            throw error(.missingField, path, "is required but missing")
        }
        return value
    }

    func error(_ code: PricingError.Code, _ path: [String], _ message: String) -> PricingError {
        PricingError(code, message, file: file.path, line: line(of: path), field: path.joined(separator: "."))
    }

    /// The line of the deepest key of `path` found in order; where a key is absent, its parent's line.
    func line(of path: [String]) -> Int? {
        var from = 0
        var found: Int?
        for key in path {
            let quoted = "\"\(key)\""
            guard let index = lines[from...].firstIndex(where: { $0.contains(quoted) }) else { break }
            found = index + 1
            from = index
        }
        return found
    }

    private static func reason(_ error: any Error) -> String {
        (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
    }
}
