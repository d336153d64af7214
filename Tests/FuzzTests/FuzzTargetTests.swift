import Foundation
import Testing

@testable import hwa_fuzz

/// Every fuzz target, in this process, for a bounded number of inputs: nothing may trap (a trap would end the test
/// run itself). The seed is fixed, so the inputs are the same on every run. The targets run one at a time: parsing
/// is CPU work, and 28 targets at once would leave the rest of the suite (timeouts against real peers) no thread.
@Suite("Fuzz targets", .serialized)
struct FuzzTargetTests {
    /// Inputs per target: the seeds themselves plus mutations, enough to reach the number and nesting tokens.
    static let iterations = 120

    /// The targets, made once per test process (making them loads the catalog and the Redfish mockup).
    static let cache = TargetCache()

    actor TargetCache {
        private var making: Task<[FuzzTarget], any Error>?

        func targets() async throws -> [FuzzTarget] {
            if let making { return try await making.value }
            let task = Task { try await FuzzTargets.make(root: FuzzTargets.sourceRoot) }
            making = task
            return try await task.value
        }

        func target(_ name: String) async throws -> FuzzTarget {
            try #require(try await targets().first { $0.name == name })
        }
    }

    /// Every parser of outside input HWAutomation has, by target name.
    static let expected = [
        "dmidecode", "lscpu-text", "lscpu-json", "lshw", "lsblk", "ip-addr", "free", "net-speed", "ipmi-mc-info",
        "ipmi-lan-print", "ipmi-user-list", "ipmi-sensor", "ipmi-sdr", "ipmi-sel", "ipmi-fru", "ipmi-raw-lan-port",
        "redfish-json", "redfish-inventory", "redfish-bios-plan", "maas-machines", "maas-machine",
        "maas-power-parameters", "maas-tags", "maas-power-state", "catalog-yaml", "catalog-legacy",
        "catalog-hardware-spec", "bios-xml",
    ]

    @Test("the fuzzer has a target for every parser of outside input")
    func everyParserHasATarget() async throws {
        let names = try await Self.cache.targets().map(\.name)
        #expect(names.sorted() == Self.expected.sorted())
    }

    @Test("each target runs its inputs without a crash", arguments: expected)
    func runs(_ name: String) async throws {
        let target = try await Self.cache.target(name)
        defer { target.cleanup() }
        let outcome = try await FuzzRunner(seed: 7, crashFolder: nil).run(target, limit: .iterations(Self.iterations))
        #expect(outcome.iterations == Self.iterations)
        #expect(outcome.next == Self.iterations)
    }

    @Test("the same seed gives the same inputs; another seed other inputs")
    func deterministic() async throws {
        let target = try await Self.cache.target("dmidecode")
        let mutator = FuzzMutator(target: target)
        func inputs(_ seed: UInt64) -> [[UInt8]] {
            (0..<200).map { iteration in
                var random = FuzzRandom(seed: seed, target: target.name, iteration: iteration)
                return mutator.input(iteration: iteration, random: &random)
            }
        }
        #expect(inputs(42) == inputs(42))
        #expect(inputs(42) != inputs(43))
        // The first inputs are the seeds as they are.
        #expect(Array(inputs(42).prefix(target.seeds.count)) == target.seeds)
    }

    @Test("the crash folder keeps the current input while it runs and nothing after a clean run")
    func currentInputFile() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hwa-fuzz-test-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = FuzzRunner.CurrentInput.inputPath(folder: folder, target: "probe")
        let seen = SeenInputs()
        let probe = FuzzTarget(
            name: "probe", summary: "records what is on disk", format: .text, seeds: [Array("a: 1".utf8)]
        ) { bytes in
            seen.append(bytes == Array((FileManager.default.contents(atPath: path) ?? Data())))
        }
        let outcome = try await FuzzRunner(seed: 1, crashFolder: folder).run(probe, limit: .iterations(50))
        #expect(outcome.iterations == 50)
        #expect(seen.values.count == 50 && seen.values.allSatisfy { $0 })
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    final class SeenInputs: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: [Bool] = []
        var values: [Bool] { lock.withLock { stored } }
        func append(_ value: Bool) { lock.withLock { stored.append(value) } }
    }

    @Test("the dictionary carries extreme numbers, negative sizes, empty strings and deep nesting")
    func dictionary() {
        let tokens = Set(FuzzDictionary.tokens(.json, extra: []).map { String(decoding: $0, as: UTF8.self) })
        for token in [
            "9223372036854775807", "9223372036854775808", "-9223372036854775809", "1e400", "-1e400", "inf", "-inf",
            "nan", "NaN", "1.7976931348623157e308", "-0", "0x7fffffff", "18446744073709551616",
            "99999999999999999999999", "-1 GB", "",
        ] {
            #expect(tokens.contains(token), "missing \(token)")
        }
        #expect(FuzzMutator.depths.contains(10_000))
        #expect(FuzzDictionary.nesting(.json).contains { $0.open == "[" })
        #expect(FuzzDictionary.nesting(.yaml).contains { $0.open == "[" })
        #expect(FuzzDictionary.nesting(.xml).contains { $0.open == "<a>" })
    }
}
