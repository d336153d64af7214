/// Mutates seed inputs: byte flips, deletions, duplication and splicing, dictionary tokens, number and value
/// replacement, truncation, repeated lines, and deep nesting.
struct FuzzMutator: Sendable {
    /// The largest input produced (bigger inputs only slow the run down).
    static let maximumSize = 1 << 17
    /// Nesting depths tried: shallow, past the usual parser limits, and very deep.
    static let depths = [16, 200, 600, 10_000]

    let seeds: [[UInt8]]
    let tokens: [[UInt8]]
    let nesting: [(open: [UInt8], close: [UInt8])]

    init(target: FuzzTarget) {
        seeds = target.seeds
        tokens = FuzzDictionary.tokens(target.format, extra: target.tokens)
        nesting = FuzzDictionary.nesting(target.format).map { (Array($0.open.utf8), Array($0.close.utf8)) }
    }

    /// The input of one iteration: a seed, mutated one to eight times (the first iterations run the seeds as they
    /// are, so a parser that fails on its own seeds shows up at once).
    func input(iteration: Int, random: inout FuzzRandom) -> [UInt8] {
        if iteration < seeds.count { return seeds[iteration] }
        var bytes = seeds[random.below(seeds.count)]
        for _ in 0..<(1 + random.below(8)) {
            mutate(&bytes, &random)
            if bytes.count > Self.maximumSize { bytes.removeSubrange(Self.maximumSize...) }
        }
        return bytes
    }

    private func mutate(_ bytes: inout [UInt8], _ random: inout FuzzRandom) {
        let position = bytes.isEmpty ? 0 : random.below(bytes.count + 1)
        switch random.below(14) {
        case 0 where !bytes.isEmpty:
            let index = min(position, bytes.count - 1)
            bytes[index] ^= UInt8(1) << UInt8(random.below(8))
        case 1 where !bytes.isEmpty:
            let interesting: [UInt8] = [
                0, 0xFF, 0x7F, 0x80, 0x0A, 0x22, 0x3A, 0x7C, 0x2D, 0x20, 0x5B, 0x7B, 0x3C, 0xC3,
            ]
            bytes[min(position, bytes.count - 1)] = interesting[random.below(interesting.count)]
        case 2 where !bytes.isEmpty:
            let end = min(bytes.count, position + 1 + random.below(128))
            bytes.removeSubrange(min(position, bytes.count - 1)..<end)
        case 3 where !bytes.isEmpty:
            let start = random.below(bytes.count)
            let chunk = Array(bytes[start..<min(bytes.count, start + 1 + random.below(256))])
            for _ in 0..<(1 + random.below(3)) { bytes.insert(contentsOf: chunk, at: min(position, bytes.count)) }
        case 4:
            let other = seeds[random.below(seeds.count)]
            guard !other.isEmpty else { return }
            let start = random.below(other.count)
            let piece = other[start..<min(other.count, start + 1 + random.below(1024))]
            bytes.replaceSubrange(position..<min(bytes.count, position + random.below(512)), with: piece)
        case 5, 6:
            bytes.insert(contentsOf: tokens[random.below(tokens.count)], at: position)
        case 7, 8:
            replaceNumber(&bytes, near: position, &random)
        case 9:
            replaceValue(&bytes, near: position, &random)
        case 10:
            bytes.removeSubrange(position...)
        // The two mutations that make big inputs are picked less often, so most iterations stay fast.
        case 11 where random.oneIn(3):
            repeatLine(&bytes, near: position, &random)
        case 12 where random.oneIn(3):
            nest(&bytes, at: position, &random)
        default:
            let token = tokens[random.below(tokens.count)]
            bytes.replaceSubrange(position..<min(bytes.count, position + token.count), with: token)
        }
    }

    /// Swaps the number at or after `position` for a dictionary number (`Core Count: 8` → `Core Count: 1e400`).
    private func replaceNumber(_ bytes: inout [UInt8], near position: Int, _ random: inout FuzzRandom) {
        let isDigit = { (byte: UInt8) in byte >= 0x30 && byte <= 0x39 }
        guard let first = bytes[position...].firstIndex(where: isDigit) ?? bytes.firstIndex(where: isDigit) else {
            bytes.insert(
                contentsOf: Array(FuzzDictionary.numbers[random.below(FuzzDictionary.numbers.count)].utf8), at: position
            )
            return
        }
        let numeric: Set<UInt8> = Set(Array("0123456789.eE+-xXabcdefABCDEF_,".utf8))
        var start = first
        while start > 0, numeric.contains(bytes[start - 1]) { start -= 1 }
        var end = first
        while end < bytes.count, numeric.contains(bytes[end]) { end += 1 }
        let pool = random.oneIn(3) ? FuzzDictionary.quantities : FuzzDictionary.numbers
        bytes.replaceSubrange(start..<end, with: Array(pool[random.below(pool.count)].utf8))
    }

    /// Swaps a value for a token: a quoted string (JSON, XML attributes) or what follows `:`, `|` or `=` on a line.
    private func replaceValue(_ bytes: inout [UInt8], near position: Int, _ random: inout FuzzRandom) {
        let separators: Set<UInt8> = [0x22, 0x3A, 0x7C, 0x3D]  // " : | =
        guard let mark = bytes[position...].firstIndex(where: separators.contains) else { return }
        let start = mark + 1
        var end = start
        if bytes[mark] == 0x22 {
            while end < bytes.count, bytes[end] != 0x22 { end += 1 }
        } else {
            while end < bytes.count, bytes[end] != 0x0A, bytes[end] != 0x7C, bytes[end] != 0x2C { end += 1 }
        }
        let replacement: [UInt8]
        switch random.below(3) {
        case 0: replacement = Array(FuzzDictionary.numbers[random.below(FuzzDictionary.numbers.count)].utf8)
        case 1: replacement = Array(FuzzDictionary.quantities[random.below(FuzzDictionary.quantities.count)].utf8)
        default: replacement = tokens[random.below(tokens.count)]
        }
        // A quoted JSON string may become a bare number (`"Manufacturer": 1e300`).
        if bytes[mark] == 0x22, end < bytes.count, random.oneIn(2) {
            bytes.replaceSubrange(mark...end, with: replacement)
        } else {
            bytes.replaceSubrange(start..<end, with: replacement)
        }
    }

    /// Repeats the line around `position` up to a few thousand times (many records, big sums).
    private func repeatLine(_ bytes: inout [UInt8], near position: Int, _ random: inout FuzzRandom) {
        guard !bytes.isEmpty else { return }
        let index = min(position, bytes.count - 1)
        let start = bytes[..<index].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
        let end = bytes[index...].firstIndex(of: 0x0A).map { $0 + 1 } ?? bytes.count
        let line = Array(bytes[start..<end])
        guard !line.isEmpty else { return }
        let count = [2, 16, 1000][random.below(3)]
        var repeated: [UInt8] = []
        repeated.reserveCapacity(min(Self.maximumSize, line.count * count))
        for _ in 0..<count where repeated.count < Self.maximumSize { repeated += line }
        bytes.replaceSubrange(start..<end, with: repeated)
    }

    /// Inserts `depth` openers (and, usually, as many closers) at `position`.
    private func nest(_ bytes: inout [UInt8], at position: Int, _ random: inout FuzzRandom) {
        let (open, close) = nesting[random.below(nesting.count)]
        let depth = Self.depths[random.below(Self.depths.count)]
        var inserted: [UInt8] = []
        inserted.reserveCapacity(depth * (open.count + close.count) + 8)
        for _ in 0..<depth { inserted += open }
        if random.below(4) != 0 {
            inserted += Array("1".utf8)
            for _ in 0..<depth { inserted += close }
        }
        bytes.insert(contentsOf: inserted, at: position)
    }
}
