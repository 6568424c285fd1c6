import Foundation

/// Unbuffered writes, so streamed text appears as it arrives and stays ordered with stderr.
enum Console {
    static func output(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func line(_ text: String) {
        output(text + "\n")
    }

    static func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
