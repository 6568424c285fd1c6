import Foundation
import Testing

@testable import TollgateMetering

/// Reservation and request ids are the ledger's keys: they must be well-formed, never repeat, and
/// sort by the time they were made so the ledger's unique index takes them at its end.
@Suite("Time-ordered request ids")
struct TimeOrderedUUIDTests {
    @Test("version 7, RFC 9562 variant, and no repeats in 10,000 made in one millisecond")
    func wellFormedAndUnique() {
        let instant = Date(timeIntervalSince1970: 1_764_892_800.125)
        var seen = Set<String>()
        for _ in 0..<10_000 {
            let id = UUID.timeOrdered(at: instant).uuidString
            let characters = Array(id)
            #expect(characters.count == 36)
            #expect(characters[14] == "7", "version nibble of \(id)")
            #expect("89AB".contains(characters[19]), "variant nibble of \(id)")
            #expect(UUID(uuidString: id) != nil)
            seen.insert(id)
        }
        #expect(seen.count == 10_000)
    }

    @Test("the first 48 bits are the Unix time in milliseconds, so later ids sort after earlier ones")
    func orderedByTime() {
        let instant = Date(timeIntervalSince1970: 1_764_892_800.125)
        let id = UUID.timeOrdered(at: instant).uuidString
        // 1,764,892,800,125 ms = 0x019AEBCEF47D.
        #expect(id.hasPrefix("019AEBCE-F47D-7"))
        let later = UUID.timeOrdered(at: instant.addingTimeInterval(0.002)).uuidString
        #expect(later > id)
        let ids = (0..<100).map { UUID.timeOrdered(at: instant.addingTimeInterval(Double($0) * 0.002)).uuidString }
        #expect(ids == ids.sorted())
    }
}
