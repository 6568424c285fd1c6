import TollgateStreaming
import TollgateTokenizers

/// Output counted per choice: each choice (`n` > 1) is its own text, tokenized apart as the
/// upstream bills it, and the total over all of them is what the hold must cover.
struct OutputCounters {
    private let model: ModelTokenCounter
    /// Choice 0, and every text delta of a translated stream.
    var first: IncrementalTokenCounter
    private var others: [Int: IncrementalTokenCounter] = [:]
    private var othersTotal = 0

    init(model: ModelTokenCounter) {
        self.model = model
        first = model.makeIncrementalCounter()
    }

    /// Output tokens over every choice.
    var total: Int { first.count + othersTotal }

    /// Counts the output of one relayed payload.
    mutating func append(_ output: [ChoiceOutput]) {
        for choice in output {
            guard choice.index != 0 else {
                first.append(choice.text)
                continue
            }
            var counter = others.removeValue(forKey: choice.index) ?? model.makeIncrementalCounter()
            let before = counter.count
            counter.append(choice.text)
            othersTotal += counter.count - before
            others[choice.index] = counter
        }
    }
}
