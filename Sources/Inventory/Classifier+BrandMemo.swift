import Synchronization

extension Classifier {
    /// CPU brand strings already read → which of the catalog's model numbers each contains. Tokenising a brand
    /// string is a fifth of a classification; a fleet has a handful of distinct brands, so each is read once. Bounded:
    /// past `limit` distinct brands it starts again (a stream of odd strings cannot grow it without end).
    final class BrandMemo: Sendable {
        static let limit = 4096
        private let known = Mutex<[String: [Bool]]>([:])

        /// The model numbers present in `brand` (by id in `modelIndex`), computed once per brand.
        func models(_ brand: String, modelIndex: [String: Int]) -> [Bool] {
            if let present = known.withLock({ $0[brand] }) { return present }
            let present = InventoryFeatures.models(brand, modelIndex: modelIndex)
            known.withLock { known in
                if known.count >= Self.limit { known.removeAll(keepingCapacity: true) }
                known[brand] = present
            }
            return present
        }
    }
}
