import Foundation
import Testing
import TollgateTestSupport

@testable import TollgateCLI

@Suite("tollgate relay-sim options")
struct RelaySimCommandTests {
    @Test func replayTakesAnExistingFolder() throws {
        let command = try #require(try Tollgate.parseAsRoot(["relay-sim", "--replay", RecordedStreams.directory]) as? RelaySimCommand)
        #expect(command.replayDirectory == RecordedStreams.directory)
    }

    @Test func replayOfAMissingFolderSaysWhatToGive() {
        let missing = RecordedStreams.directory + "-missing"
        do {
            _ = try Tollgate.parseAsRoot(["relay-sim", "--replay", missing])
            Issue.record("a missing --replay folder was accepted")
        } catch {
            let message = Tollgate.message(for: error)
            #expect(message.contains("--replay \(missing) is not a folder"))
            #expect(message.contains("Tests/Fixtures/openai-chat"))
        }
    }
}
