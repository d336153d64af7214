import Catalog
import Foundation
import Inventory
import Lab

extension FuzzTargets {
    /// SSH discovery's tool outputs: each parser, then the classifier and the JSON encoding of what it read.
    static func inventoryTargets(_ seeds: FuzzSeeds, catalog: Catalog) throws(FuzzError) -> [FuzzTarget] {
        let fixtures = "Tests/InventoryTests/Fixtures/"
        let classifier = Classifier(catalog: catalog)
        let types = catalog.deviceTypes.values.sorted { $0.name < $1.name }
        let models = stride(from: 0, to: types.count, by: max(1, types.count / 4)).map {
            ServerModel(deviceType: types[$0], index: $0)
        }
        func target(
            _ name: String, _ file: DiscoveryBundle.File, _ summary: String, format: FuzzTarget.Format = .text,
            seeds texts: [String], tokens: [String] = []
        ) -> FuzzTarget {
            .text(name, summary, format: format, seeds: texts, tokens: tokens) { text in
                var inventory = Inventory()
                DiscoveryBundle.apply(file, text, into: &inventory)
                consume(inventory, classifier)
            }
        }
        return [
            target(
                "dmidecode", .dmidecode, "dmidecode text → DMIDecodeParser",
                seeds: try [
                    seeds.text(fixtures + "dmidecode-default.txt"),
                    seeds.text(fixtures + "dmidecode-supermicro-dual.txt"),
                ] + models.map { $0.dmidecode() },
                tokens: ["Processor Information\n", "Memory Device\n", "No Module Installed", "Populated, Enabled"]),
            target(
                "lscpu-text", .lscpuText, "lscpu text → LSCPUParser", seeds: [try seeds.text(fixtures + "lscpu.txt")]),
            target(
                "lscpu-json", .lscpuJSON, "lscpu -J → LSCPUParser", format: .json,
                seeds: [try seeds.text(fixtures + "lscpu.json")] + models.map { $0.lscpuJSON() },
                tokens: ["{\"field\": \"Socket(s):\", \"data\": \"", "{\"field\": \"CPU max MHz:\", \"data\": \""]),
            target(
                "lshw", .lshw, "lshw -json → LSHWParser", format: .json,
                seeds: [try seeds.text(fixtures + "lshw.json"), try seeds.text(fixtures + "lshw-network.json")],
                tokens: ["\"class\": \"disk\"", "\"class\": \"network\"", "\"speed\": \"", "\"logicalname\": "]),
            target(
                "lsblk", .lsblk, "lsblk -J → LSBLKParser", format: .json,
                seeds: [try seeds.text(fixtures + "lsblk.json")] + models.map { $0.lsblkJSON() },
                tokens: ["\"blockdevices\": [", "\"type\": \"disk\"", "\"rota\": "]),
            target(
                "ip-addr", .ipAddr, "ip -j addr → IPAddrParser", format: .json,
                seeds: [try seeds.text(fixtures + "ip-addr.json")] + models.map { $0.ipAddrJSON() },
                tokens: ["\"ifname\": ", "\"addr_info\": [", "\"family\": \"inet6\""]),
            target(
                "free", .free, "free -b → FreeParser",
                seeds: [try seeds.text(fixtures + "free.txt")]
                    + models.map { $0.free() }),
            target(
                "net-speed", .netSpeed, "/sys/class/net/*/speed → NetSpeedParser",
                seeds: [try seeds.text(fixtures + "net-speed.txt")] + models.map { $0.netSpeed() }),
        ]
    }

    /// What discovery does with an inventory next: classify it and store it as JSON.
    static func consume(_ inventory: Inventory, _ classifier: Classifier) {
        let classification = classifier.classify(inventory)
        _ = try? JSONEncoder().encode(inventory)
        _ = try? JSONEncoder().encode(classification)
    }
}
