import Catalog
import Foundation
import Lab
import Testing

@testable import Inventory

/// Hardware fingerprints group servers of one build, and low-confidence fits get a proposal too.
@Suite("Hardware fingerprint and proposals")
struct HardwareFingerprintTests {
    static let classifier = ClassifierTests.classifier

    /// A build no catalog type describes (AMD, odd memory), as the lab's unknown servers are.
    static func unknownBuild(memory: Int = 96, cores: Int = 16) -> DeviceType {
        DeviceType(
            name: "lab.unknown", vendor: "supermicro", boards: ["H12SSL-i"],
            hardware: HardwareSpec(
                cpu: CPUSpec(model: "AMD EPYC 7313P", sockets: 1, cores: cores, frequencyGHz: 3.0), memoryGiB: memory,
                storage: [DriveGroup(count: 3, sizeGB: 3840, kind: .nvme)],
                network: [NICGroup(count: 2, speedGbps: 100)]))
    }

    @Test("two servers of one build (other serials, MACs, UUIDs) share a fingerprint; other memory or cores do not")
    func sameBuild() async throws {
        let first = await ServerModel(deviceType: Self.unknownBuild(), index: 4).discoveryBundle().inventory()
        let second = await ServerModel(deviceType: Self.unknownBuild(), index: 9).discoveryBundle().inventory()
        #expect(first.system.serial != second.system.serial)
        #expect(first.nics.map(\.mac) != second.nics.map(\.mac))
        let a = try #require(HardwareFingerprint(inventory: first))
        let b = try #require(HardwareFingerprint(inventory: second))
        #expect(a == b)
        #expect(a.digest.count == 64 && a.id.count == 12 && a.digest.hasPrefix(a.id))
        #expect(a.facts.contains("cpu=amd epyc 7313p"), "\(a.facts)")
        #expect(a.facts.contains("memory_gib=96") && a.facts.contains("drives=nvme:3840x3"), "\(a.facts)")
        #expect(a.facts.contains("nics=100000x2") && a.facts.contains("board=h12ssl-i"), "\(a.facts)")
        #expect(!a.facts.contains(first.system.serial ?? "S5"), "no serial in the facts")
        let more = await ServerModel(deviceType: Self.unknownBuild(memory: 192), index: 4).discoveryBundle().inventory()
        let wider = await ServerModel(deviceType: Self.unknownBuild(cores: 24), index: 4).discoveryBundle().inventory()
        #expect(HardwareFingerprint(inventory: more) != a)
        #expect(HardwareFingerprint(inventory: wider) != a)
        #expect(HardwareFingerprint(inventory: Inventory()) == nil, "nothing to propose, no fingerprint")
    }

    @Test("the fingerprint is the proposal's: the proposed type hashes to it, whatever its name or description")
    func proposedType() async throws {
        let inventory = await ServerModel(deviceType: Self.unknownBuild(), index: 2).discoveryBundle().inventory()
        var type = try #require(Classifier.proposedType(for: inventory))
        #expect(type.name == "proposed.h12ssl-i.c16.m96")
        let fingerprint = HardwareFingerprint(type)
        type.name = "s9.c1.large"
        type.description = "anything"
        #expect(HardwareFingerprint(type) == fingerprint)
        #expect(HardwareFingerprint(inventory: inventory) == fingerprint)
    }

    @Test("a low-confidence fit gets a proposal too; a high one does not")
    func lowConfidence() async throws {
        let type = try #require(ClassifierTests.catalog.deviceType(named: "s2.c2.small"))
        var inventory = await ClassifierTests.inventory(of: type)
        #expect(Self.classifier.classify(inventory).proposal == nil)
        // Memory no type of this CPU has: the CPU still fits, the memory contradicts (not a minor field).
        inventory.memory = MemoryInventory(totalGiB: 80, dimms: [])
        let result = Self.classifier.classify(inventory)
        #expect(result.confidence == .low, "\(result.confidence) \(result.reasons.map(\.description))")
        let proposal = try #require(result.proposal)
        #expect(proposal.contains("memory_gib: 80"), "\(proposal)")
        #expect(Classifier.proposedType(for: inventory)?.hardware.memoryGiB == 80)
    }
}
