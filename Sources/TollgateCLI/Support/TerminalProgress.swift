import Foundation

/// Progress for long runs, on stderr and only when stderr is a terminal: piped or redirected
/// output stays clean for scripts.
final class TerminalProgress {
    private let label: String
    private let enabled: Bool
    private var lastShown = -1

    /// `enabled` defaults to whether stderr is a TTY.
    init(label: String, enabled: Bool = isatty(STDERR_FILENO) != 0) {
        self.label = label
        self.enabled = enabled
    }

    /// Says what is running, for steps with no count.
    func stage() {
        write("\(label)…")
    }

    /// Shows `done` of `total`, redrawing only when the whole percent changes.
    func update(_ done: Int, of total: Int) {
        let percent = total > 0 ? done * 100 / total : 100
        guard percent != lastShown else { return }
        lastShown = percent
        write("\(label): \(percent) % (\(done.formatted()) of \(total.formatted()))")
    }

    /// Clears the progress line.
    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    private func write(_ text: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8))
    }
}
