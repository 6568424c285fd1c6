import Foundation
import Testing

@testable import TollgateMetering

/// Reservation ids are the ledger's primary key for holds: they must be well-formed and never repeat.
@Suite("Random request ids")
struct RandomUUIDTests {
    @Test("version 4, RFC 4122 variant, and no repeats in 10,000")
    func wellFormedAndUnique() {
        var seen = Set<String>()
        for _ in 0..<10_000 {
            let id = UUID.random().uuidString
            let characters = Array(id)
            #expect(characters.count == 36)
            #expect(characters[14] == "4", "version nibble of \(id)")
            #expect("89AB".contains(characters[19]), "variant nibble of \(id)")
            #expect(UUID(uuidString: id) != nil)
            seen.insert(id)
        }
        #expect(seen.count == 10_000)
    }
}
