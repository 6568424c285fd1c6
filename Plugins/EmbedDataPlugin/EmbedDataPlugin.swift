import Foundation
import PackagePlugin

/// Embeds the package's `pricing/` and `migrations/` folders into the target as Swift source, so the
/// shipped defaults travel inside the binary and a copied `tollgate` needs no data files beside it.
@main
struct EmbedDataPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        let root = context.package.directoryURL
        let folders = ["pricing", "migrations"].map { root.appending(path: $0) }
        // The folders themselves are inputs too: adding a file changes its folder, which must
        // regenerate the embedded data even when the snapshot of file names is stale.
        let inputs = folders.flatMap { [$0] + Self.files(under: $0) + Self.subfolders(under: $0) }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedData.swift")
        var arguments = [output.path()]
        for folder in folders { arguments += [folder.lastPathComponent, folder.path()] }
        return [
            .buildCommand(
                displayName: "Embedding pricing/ and migrations/",
                executable: try context.tool(named: "tollgate-embed").url,
                arguments: arguments,
                inputFiles: inputs,
                outputFiles: [output]
            )
        ]
    }

    /// Every folder below `folder`.
    private static func subfolders(under folder: URL) -> [URL] {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isDirectoryKey])
        else { return [] }
        return walker.compactMap { $0 as? URL }
            .filter { (try? $0.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true }
    }

    /// Every regular file below `folder`; listing them as inputs makes edits trigger a rebuild.
    private static func files(under folder: URL) -> [URL] {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
        else { return [] }
        return walker.compactMap { $0 as? URL }
            .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
    }
}
