import Foundation
import Synchronization
import TollgateCore

/// The pricing table in force, swapped whole when `serve` reloads its folder. Readers take one
/// snapshot per admission, so a stream is admitted, counted and settled under one table whatever
/// happens to the folder meanwhile.
public final class LivePricing: Sendable {
    /// What the last reload attempt found.
    public struct Status: Sendable {
        /// The table in force.
        public var table: PricingTable
        /// Why the last changed folder was refused (every problem, one per line), or nil when the
        /// folder as it is now is the table in force.
        public var refusal: String?
        /// When the table in force was loaded.
        public var loadedAt: Date
        /// The files the table in force (or the last refusal) was read from, to notice a change.
        var files: [PricingFile]
    }

    private let state: Mutex<Status>

    /// Starts with `table`, read from `files` (empty for the built-in table).
    public init(_ table: PricingTable, files: [PricingFile] = [], at instant: Date = Date()) {
        state = Mutex(Status(table: table, refusal: nil, loadedAt: instant, files: files))
    }

    /// The table in force now.
    public var table: PricingTable { state.withLock { $0.table } }

    /// The table in force and the last refusal.
    public var status: Status { state.withLock { $0 } }

    /// Records that the folder could not even be read; the table in force stays.
    public func refuse(_ reason: String) {
        state.withLock { $0.refusal = reason }
    }

    /// What ``reload(_:force:at:)`` did.
    public enum Outcome: Sendable, Equatable {
        /// The files are those already seen: nothing was checked.
        case unchanged
        /// The new table passed the check and is in force.
        case replaced
        /// The new files failed the check; the old table stays in force.
        case refused(String)
    }

    /// Checks `files` and puts their table in force, or keeps the old one and records why not.
    /// `force` re-checks files already seen (SIGHUP), which also clears nothing: a refused folder
    /// stays refused until it changes and passes.
    @discardableResult
    public func reload(_ files: [PricingFile], force: Bool = false, at instant: Date = Date()) -> Outcome {
        if !force, state.withLock({ $0.files == files }) { return .unchanged }
        do {
            let table = try PricingTable.load(files)
            state.withLock { $0 = Status(table: table, refusal: nil, loadedAt: instant, files: files) }
            return .replaced
        } catch {
            let reason = error.description
            state.withLock {
                $0.refusal = reason
                $0.files = files
            }
            return .refused(reason)
        }
    }
}
