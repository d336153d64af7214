extension Classifier {
    /// The five best-scoring types seen so far, best first; a later type enters only with a strictly higher score
    /// than the fifth, so ties keep the earlier (name-ordered) type ahead.
    struct TopFive {
        struct Entry {
            var index: Int
            /// Matched points − 2 × contradicted points.
            var points: Int
            var mismatched: Int
            /// `points` over the total weight.
            var score: Double { Double(points) / Classifier.totalWeight }
        }

        private var entries: [Entry] = []

        init() {
            entries.reserveCapacity(6)
        }

        /// The best so far.
        var first: Entry? { entries.first }
        var count: Int { entries.count }
        subscript(position: Int) -> Entry { entries[position] }

        /// Considers the type at `index` with `points` and `mismatched` contradicted points.
        mutating func offer(index: Int, points: Int, mismatched: Int) {
            guard entries.count < 5 || points > entries[entries.count - 1].points else { return }
            let position = entries.firstIndex { points > $0.points } ?? entries.count
            entries.insert(Entry(index: index, points: points, mismatched: mismatched), at: position)
            if entries.count > 5 { entries.removeLast() }
        }
    }
}
