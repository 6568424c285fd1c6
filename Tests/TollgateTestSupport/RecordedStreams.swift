import Foundation

/// The recorded OpenAI-compatible answers in `Tests/Fixtures/openai-chat` (sources and licences in
/// its README.md), which the relay simulator replays byte for byte when started with
/// `replayDirectory: RecordedStreams.directory` and asked with `"tollgate_sim": {"replay": NAME}`.
public enum RecordedStreams {
    /// The fixture folder, found from this file so every test target (and a copied clone) uses the same one.
    public static let directory: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/openai-chat", isDirectory: true).path

    /// The recorded Anthropic Messages streams in `Tests/Fixtures/anthropic-messages` (sources and
    /// licences in its README.md), which the simulator's `/v1/messages` replays the same way.
    public static let messagesDirectory: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/anthropic-messages", isDirectory: true).path
}
