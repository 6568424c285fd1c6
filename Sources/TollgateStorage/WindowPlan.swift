/// Splits report windows into the whole buckets the rollup answers and the unaligned edges that
/// raw entries answer, so any window is exact whatever its boundaries.
package struct WindowPlan {
    package struct Range {
        package var window: Int
        package var lower: Int64
        package var upper: Int64
    }

    package private(set) var rollupRanges: [Range] = []
    package private(set) var rawRanges: [Range] = []

    package init(_ boundaries: [Int64]) {
        for index in boundaries.indices.dropLast() {
            let (lower, upper) = (boundaries[index], boundaries[index + 1])
            guard lower < upper else { continue }
            let (first, last) = (UsageRollup.ceilingBoundary(lower), UsageRollup.bucket(upper))
            guard first < last else {
                rawRanges.append(Range(window: index, lower: lower, upper: upper))
                continue
            }
            rollupRanges.append(Range(window: index, lower: first, upper: last))
            if lower < first { rawRanges.append(Range(window: index, lower: lower, upper: first)) }
            if last < upper { rawRanges.append(Range(window: index, lower: last, upper: upper)) }
        }
    }
}
