import Foundation
import PackagePlugin

/// Embeds the package's `tokenizers/` vocabularies into the target as raw string literals, so a
/// copied `tollgate` counts exactly with no vocabulary files beside it, and beside them the tables
/// the tokenizers count with, precomputed from those files (base64 literals), so startup only
/// decodes them in one linear pass.
///
/// Its own target and plugin (not `EmbedDataPlugin`): the 9.5 MB source is regenerated and
/// recompiled only when a vocabulary changes, never when a price or a migration does.
@main
struct EmbedVocabulariesPlugin: BuildToolPlugin {
    /// The embedded files, by their path in the tokenizer-folder layout (`TokenEncoding.relativePath`).
    static let vocabularies = ["o200k_base.tiktoken", "cl100k_base.tiktoken", "deepseek-v3/tokenizer.json"]

    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        let folder = context.package.directoryURL.appending(path: "tokenizers")
        let files = Self.vocabularies.map { folder.appending(path: $0) }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedVocabularies.swift")
        let tables = context.pluginWorkDirectoryURL.appending(path: "EmbeddedVocabularyTables.swift")
        var arguments = ["--vocabularies", output.path(), tables.path()]
        for (path, file) in zip(Self.vocabularies, files) { arguments += [path, file.path()] }
        return [
            .buildCommand(
                displayName: "Embedding tokenizers/ vocabularies",
                executable: try context.tool(named: "tollgate-embed").url,
                arguments: arguments,
                inputFiles: files,
                outputFiles: [output, tables]
            )
        ]
    }
}
