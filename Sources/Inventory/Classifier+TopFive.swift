extension Classifier {
    /// The five best-scoring types seen so far, best first; a later type enters only with a strictly higher score
    /// than the fifth, so ties keep the earlier (name-ordered) type ahead.
    struct TopFive {
        struct Entry {
            var index: Int
            var score: Double
            var mismatched: Int
        }

        private var entries: [Entry] = []

        init() {
            entries.reserveCapacity(6)
        }

        /// The best so far.
        var first: Entry? { entries.first }
        var count: Int { entries.count }
        subscript(position: Int) -> Entry { entries[position] }

        /// Considers the type at `index` with `score` and `mismatched` contradicted points.
        mutating func offer(index: Int, score: Double, mismatched: Int) {
            guard entries.count < 5 || score > entries[entries.count - 1].score else { return }
            let position = entries.firstIndex { score > $0.score } ?? entries.count
            entries.insert(Entry(index: index, score: score, mismatched: mismatched), at: position)
            if entries.count > 5 { entries.removeLast() }
        }
    }
}
