import Testing

@testable import TollgateCore

@Suite("Exact decimals")
struct NanoDecimalTests {
    @Test("parses whole, fractional, signed and nine-digit amounts exactly")
    func parsesExactly() throws {
        #expect(try NanoDecimal.parse("500") == 500_000_000_000)
        #expect(try NanoDecimal.parse("0.42") == 420_000_000)
        #expect(try NanoDecimal.parse("-12.5") == -12_500_000_000)
        #expect(try NanoDecimal.parse("+3.141592653") == 3_141_592_653)
        #expect(try NanoDecimal.parse(".5") == 500_000_000)
        #expect(try NanoDecimal.parse("7.") == 7_000_000_000)
        #expect(try NanoDecimal.parse("0.000000001") == 1)
    }

    @Test("rejects malformed text with a message saying what to type", arguments: ["", "abc", "1.2.3", "1,000", "--1", "1e5", ".", "12 5", "0x10"])
    func rejectsMalformed(_ text: String) {
        #expect(throws: MoneyError.self) { try NanoDecimal.parse(text) }
    }

    @Test("refuses more than nine decimal places instead of rounding")
    func refusesExtraPrecision() {
        #expect(throws: MoneyError("'0.0000000001' has more than 9 decimal places: Tollgate keeps amounts exact to 0.000000001")) {
            try NanoDecimal.parse("0.0000000001")
        }
    }

    @Test("refuses amounts beyond the 64-bit range")
    func refusesOverflow() throws {
        #expect(throws: MoneyError.self) { try NanoDecimal.parse("9223372037") }
        #expect(throws: MoneyError.self) { try NanoDecimal.parse("99999999999999999999") }
        #expect(try NanoDecimal.parse("9223372036") == 9_223_372_036_000_000_000)
    }

    @Test("format then parse returns the same nanos, over many values")
    func roundTrips() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let nanos = Int64.random(in: -9_000_000_000_000_000_000...9_000_000_000_000_000_000, using: &generator)
            #expect(try NanoDecimal.parse(NanoDecimal.format(nanos)) == nanos)
            #expect(try NanoDecimal.parse(NanoDecimal.format(nanos, minimumFractionDigits: 9)) == nanos)
        }
    }

    @Test("formats with two fraction digits at least, trailing zeros trimmed beyond")
    func formats() {
        #expect(NanoDecimal.format(12_500_000_000) == "12.50")
        #expect(NanoDecimal.format(28) == "0.000000028")
        #expect(NanoDecimal.format(-1) == "-0.000000001")
        #expect(NanoDecimal.format(3_650_000_000_000, grouping: true) == "3,650.00")
        #expect(NanoDecimal.format(1_234_567_000_000_000, grouping: true) == "1,234,567.00")
        #expect(NanoDecimal.format(0) == "0.00")
        #expect(NanoDecimal.format(5_000_000_000, minimumFractionDigits: 0) == "5")
    }

    @Test("display rounding is half away from zero")
    func roundsForDisplay() {
        #expect(NanoDecimal.rounded(86_301_369_863, toFractionDigits: 2) == 86_300_000_000)
        #expect(NanoDecimal.rounded(1_005_000_000, toFractionDigits: 2) == 1_010_000_000)
        #expect(NanoDecimal.rounded(-1_005_000_000, toFractionDigits: 2) == -1_010_000_000)
        #expect(NanoDecimal.rounded(1_004_999_999, toFractionDigits: 2) == 1_000_000_000)
        #expect(NanoDecimal.rounded(7, toFractionDigits: 9) == 7)
    }
}
