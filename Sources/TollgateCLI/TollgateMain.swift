import ArgumentParser
import Foundation
import TollgateAdmin
import TollgateCore
import TollgateMetering
import TollgateReports
import TollgateStorage
import TollgateTokenizers

/// Runs the `tollgate` command line: parses, runs, and turns every error into one `error:` line on
/// stderr and a non-zero exit status. Library errors carry facts; the command line adds its own
/// remedy (the command or flag to type) here, so no library message names a flag.
public enum TollgateMain {
    /// Entry point of the `tollgate` executable.
    public static func main(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) async -> Never {
        do {
            var command = try Tollgate.parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            exit(0)
        } catch let error as CLIError {
            fail(error.description, code: error.exitCode)
        } catch let error as BudgetError {
            fail(error.commandLineMessage, code: 1)
        } catch let error as MoneyError {
            fail(error.description, code: 1)
        } catch let error as PricingError {
            fail(error.description, code: 1)
        } catch let error as PricingProblems {
            fail("the pricing table is invalid:\n\(error.description)", code: 1)
        } catch let error as LedgerError {
            fail(error.commandLineMessage, code: 1)
        } catch let error as ImportError {
            fail(error.description, code: 1)
        } catch let error as MeteringError {
            fail(error.commandLineMessage, code: 1)
        } catch let error as ReportError {
            fail(error.commandLineMessage, code: 1)
        } catch let error as TokenizerError {
            fail(error.commandLineMessage, code: 1)
        } catch {
            Tollgate.exit(withError: error)
        }
    }

    /// Error messages quote what was typed or stored (team names, labels), so their control
    /// characters are escaped like a listing's.
    private static func fail(_ message: String, code: Int32) -> Never {
        FileHandle.standardError.write(Data("error: \(TerminalText.escape(message, keepingLines: true))\n".utf8))
        exit(code)
    }
}
