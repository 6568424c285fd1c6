import Testing

@testable import TollgateCore

@Suite("Alert thresholds")
struct AlertThresholdTests {
    @Test("lists parse sorted and without repeats; none and empty turn alerts off")
    func parsing() throws {
        #expect(try AlertThreshold.list(parsing: "100, 50,exhausted,80%,50") == [.percent(50), .percent(80), .percent(100), .exhausted])
        #expect(try AlertThreshold.list(parsing: "none").isEmpty)
        #expect(try AlertThreshold.list(parsing: "").isEmpty)
        #expect(try AlertThreshold.list(parsing: "120").listText == "120")
        #expect([AlertThreshold]().listText == "none")
        #expect(AlertThreshold.defaults.listText == "50,80,100,exhausted,overrun")
    }

    @Test("bad thresholds say what to write", arguments: ["0", "1001", "-5", "eighty", "50,,80", "5.5"])
    func badThresholds(text: String) {
        let error = #expect(throws: BudgetError.self) { try AlertThreshold.list(parsing: text) }
        #expect(error?.code == .invalidInput)
        #expect(error?.description.contains("use a whole percent from 1 to 1000 (e.g. 80) or 'exhausted'") == true)
    }

    @Test("a percent is reached exactly at its share of the limit; exhausted never by arithmetic")
    func reached() throws {
        let limit = try Money(parsing: "10", .cny)
        #expect(!AlertThreshold.percent(80).isReached(spent: try Money(parsing: "7.999999999", .cny), limit: limit))
        #expect(AlertThreshold.percent(80).isReached(spent: try Money(parsing: "8", .cny), limit: limit))
        #expect(AlertThreshold.percent(120).isReached(spent: try Money(parsing: "12.5", .cny), limit: limit))
        #expect(!AlertThreshold.exhausted.isReached(spent: try Money(parsing: "50", .cny), limit: limit))
        #expect(!AlertThreshold.percent(50).isReached(spent: try Money(parsing: "-3", .cny), limit: limit))
    }
}
