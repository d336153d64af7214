import Catalog
import Foundation
import Lab
import Testing

@testable import Inventory

@Suite("Classifier")
struct ClassifierTests {
    static let loaded = try! CatalogLoader.load(directory: nil)
    static let catalog = loaded.catalog
    static let classifier = Classifier(catalog: catalog)

    /// Inventory of a server of `type`, through real-format tool output and the parsers.
    static func inventory(of type: DeviceType, index: Int = 1) async -> Inventory {
        await ServerModel(deviceType: type, index: index).discoveryBundle().inventory()
    }

    static let unifiedTypes = catalog.sortedDeviceTypes().filter { $0.origin == .unified }

    @Test("every unified type is recognised with high confidence; indistinguishable pairs are ambiguous")
    func unifiedTypes() async throws {
        #expect(Self.unifiedTypes.count == 44)
        let pairs = Self.catalog.indistinguishablePairs()
        for type in Self.unifiedTypes {
            let inventory = await Self.inventory(of: type)
            #expect(inventory.problems.isEmpty, "\(type.name): \(inventory.problems)")
            let result = Self.classifier.classify(inventory)
            let twins = pairs.filter { $0.0.name == type.name || $0.1.name == type.name }.flatMap {
                [$0.0.name, $0.1.name]
            }
            if twins.isEmpty {
                #expect(
                    result.outcome == .matched && result.deviceType == type.name,
                    "\(type.name) → \(result.deviceType ?? "-") \(result.outcome) \(result.candidates)")
                #expect(
                    result.confidence == .high,
                    "\(type.name): \(result.confidence) \(result.reasons.map(\.description))")
            } else {
                #expect(result.outcome == .ambiguous, "\(type.name) → \(result.outcome)")
                #expect(Set(twins).isSubset(of: Set(result.ambiguousWith)), "\(type.name): \(result.ambiguousWith)")
                #expect(result.deviceType == nil)
            }
        }
    }

    @Test("sizes on one board: s2.c1.small vs medium (storage); s1.e1.small / medium / large (RAM and storage)")
    func sizes() async throws {
        for name in ["s2.c1.small", "s2.c1.medium", "s1.e1.small", "s1.e1.medium", "s1.e1.large"] {
            let type = try #require(Self.catalog.deviceType(named: name))
            let result = Self.classifier.classify(await Self.inventory(of: type))
            #expect(result.deviceType == name)
            #expect((result.margin ?? 0) > 0)
            #expect(result.runnerUp != nil)
        }
        let small = try #require(Self.catalog.deviceType(named: "s2.c1.small"))
        let result = Self.classifier.classify(await Self.inventory(of: small))
        let medium = try #require(result.candidates.first { $0.deviceType == "s2.c1.medium" })
        #expect(medium.mismatches == ["storage"])
    }

    @Test("reasons name each field with both values")
    func reasons() async throws {
        let type = try #require(Self.catalog.deviceType(named: "s2.c2.small"))
        var inventory = await Self.inventory(of: type)
        inventory.memory = MemoryInventory(totalGiB: 128, dimms: [])
        let result = Self.classifier.classify(inventory)
        #expect(result.deviceType == "s2.c2.medium" || result.outcome != .matched || result.confidence < .high)
        let forSmall = Self.classifier.explain(type, inventory)
        let memory = try #require(forSmall.first { $0.field == "memory" })
        #expect(memory.verdict == .mismatched)
        #expect(memory.description.contains("expected 64 GB"))
        #expect(memory.description.contains("128 GB installed"))
    }

    @Test("usable memory from free -b still matches the installed size")
    func usableMemory() async throws {
        let type = try #require(Self.catalog.deviceType(named: "s2.c2.small"))
        var inventory = await Self.inventory(of: type)
        inventory.memory = MemoryInventory(totalGiB: 62.7, totalIsUsable: true)
        let result = Self.classifier.classify(inventory)
        #expect(result.deviceType == "s2.c2.small")
        #expect(result.confidence == .high)
    }

    @Test("unknown hardware: nearest types and a proposed catalog entry that loads")
    func unknown() async throws {
        var inventory = Inventory()
        DMIDecodeParser.parse(try ParserTests.fixture("dmidecode-default.txt"), into: &inventory)
        let result = Self.classifier.classify(inventory)
        #expect(result.outcome == .unknown)
        #expect(result.confidence == .none)
        #expect(!result.candidates.isEmpty)
        let proposal = try #require(result.proposal)
        #expect(proposal.contains("device_types:"))
        #expect(proposal.contains("cores: 16"))
        #expect(proposal.contains("AMD EPYC 9354P"))
        #expect(!proposal.contains("name:"))
    }

    @Test("CPU brand strings normalise to the catalog's model numbers")
    func cpuModels() {
        #expect(CPUModel.modelNumbers("Dual Xeon Silver 4210R") == ["4210r"])
        #expect(CPUModel.tokenSet("Intel(R) Xeon(R) Silver 4210R CPU @ 2.40GHz").contains("4210r"))
        #expect(CPUModel.tokenSet("13th Gen Intel(R) Core(TM) i9-14900K").contains("14900k"))
        #expect(CPUModel.tokenSet("Intel(R) Xeon(R) CPU E3-1240 v3 @ 3.40GHz").contains("e3-1240v3"))
        #expect(CPUModel.modelNumbers("Intel Xeon E3-1240v3") == ["e3-1240v3"])
        #expect(CPUModel.tokenSet("Ampere(R) Altra(R) Q80-30 CPU @ 3.00GHz").contains("q80-30"))
        #expect(!CPUModel.tokenSet("AMD EPYC 9354P 32-Core Processor").contains("32-core"))
    }
}
