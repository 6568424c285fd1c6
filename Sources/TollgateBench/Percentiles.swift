/// p50, p99 and p99.9 of a sample, in the sample's unit.
struct Percentiles {
    let count: Int
    let p50: Int
    let p99: Int
    let p999: Int

    init(_ values: [Int]) {
        let sorted = values.sorted()
        count = sorted.count
        func at(_ p: Double) -> Int { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
        p50 = at(0.5)
        p99 = at(0.99)
        p999 = at(0.999)
    }
}
