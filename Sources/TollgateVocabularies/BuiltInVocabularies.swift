/// The vocabularies compiled into Tollgate: the package's `tokenizers/` folder, byte for byte, and
/// the tables the tokenizers count with, precomputed from those files when the package is built.
///
/// The build plugin turns each file and each table image into a `StaticString` literal, which the
/// compiler lays out as read-only data in the binary: reading one costs no copy and no I/O.
public enum BuiltInVocabularies {
    /// The paths built in, in the tokenizer-folder layout (`o200k_base.tiktoken`, `deepseek-v3/tokenizer.json`).
    public static var paths: [String] { files.map(\.path) }

    /// The bytes of the built-in file at `path`, or nil if no such file is built in. The memory is
    /// part of the binary's read-only data: valid for the whole process, never to be written.
    public static func bytes(path: String) -> UnsafeRawBufferPointer? {
        guard let contents = files.first(where: { $0.path == path })?.contents else { return nil }
        return UnsafeRawBufferPointer(start: contents.utf8Start, count: contents.utf8CodeUnitCount)
    }

    /// The table image built from the file at `path` (base64 text, `TableImageReader`'s input), or
    /// nil if none is built in. Read-only memory of the binary, like ``bytes(path:)``.
    public static func tableImage(path: String) -> UnsafeRawBufferPointer? {
        guard let image = tableImages.first(where: { $0.path == path })?.image else { return nil }
        return UnsafeRawBufferPointer(start: image.utf8Start, count: image.utf8CodeUnitCount)
    }
}
