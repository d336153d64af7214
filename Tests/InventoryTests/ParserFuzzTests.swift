import Foundation
import Testing

@testable import Inventory

/// Random mutations of every fixture, through every parser: nothing may crash or hang. Seeded, so repeatable.
@Suite("Parser fuzzing")
struct ParserFuzzTests {
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let fixtures = [
        "dmidecode-default.txt", "dmidecode-supermicro-dual.txt", "lscpu.json", "lscpu.txt", "free.txt", "lsblk.json",
        "ip-addr.json", "lshw.json", "lshw-network.json", "ipmitool-lan.txt",
    ]

    static func mutate(_ text: String, _ random: inout SeededGenerator) -> String {
        var bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return text }
        for _ in 0..<Int.random(in: 1...8, using: &random) {
            let index = Int.random(in: 0..<bytes.count, using: &random)
            switch Int.random(in: 0..<5, using: &random) {
            case 0: bytes[index] = UInt8.random(in: 0...255, using: &random)
            case 1: bytes.removeSubrange(index..<min(bytes.count, index + Int.random(in: 1...64, using: &random)))
            case 2: bytes.insert(contentsOf: Array(":\t\n{}[]\"-1 GB".utf8).shuffled(using: &random), at: index)
            case 3: bytes = Array(bytes.prefix(index))
            default:
                let other = Int.random(in: 0..<bytes.count, using: &random)
                bytes.swapAt(index, other)
            }
            if bytes.isEmpty { break }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test("2,000 mutations per run")
    func fuzz() throws {
        var random = SeededGenerator(state: 0x4857_4121)
        let texts = try Self.fixtures.map(ParserTests.fixture)
        for _ in 0..<200 {
            for text in texts {
                let mutated = Self.mutate(text, &random)
                var inventory = Inventory()
                for file in DiscoveryBundle.File.allCases { DiscoveryBundle.apply(file, mutated, into: &inventory) }
                // Whatever was read is self-consistent: no negative counts.
                #expect((inventory.cpu.physicalCores ?? 0) >= 0)
                #expect((inventory.memory.totalGiB ?? 0) >= 0)
            }
        }
    }
}
