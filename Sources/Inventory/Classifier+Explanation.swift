extension Classifier {
    /// The classifier's explanations in the units people use: GB of memory and drives, GbE for ports, with what the
    /// server reported beside a normalised value (`2× 10 GbE (BMC reports 10240 Mbps)`, `256 GB in 8 DIMMs (BMC
    /// reports 244.1 GiB)`). Inputs are normalised inventories, so no placeholder reaches a reason.
    enum Explanation {
        /// `256`, `62.7`: whole numbers without decimals, others with one.
        static func number(_ value: Double) -> String {
            guard value.isFinite else { return String(value) }
            let tenths = (value * 10).rounded() / 10
            if let whole = Int(exactly: tenths) { return String(whole) }
            return String(tenths)
        }

        /// `10 GbE`, `2.5 GbE`, `100 Mbps`.
        static func linkSpeed(_ mbps: Int) -> String {
            mbps >= 1000 ? "\(number(Double(mbps) / 1000)) GbE" : "\(mbps) Mbps"
        }

        /// `960 GB`, `1.92 TB`, `15.36 TB`.
        static func driveSize(_ bytes: Double) -> String {
            let gb = bytes / 1e9
            guard gb >= 1000 else { return "\(number(gb)) GB" }
            let tb = (gb / 10).rounded() / 100
            return "\(Int(exactly: tb).map(String.init) ?? String(tb)) TB"
        }

        /// `NVMe`, `SSD`, `HDD`, `PMEM`, `drives of unknown kind`.
        static func kind(_ kind: StorageDevice.Kind) -> String {
            switch kind {
            case .nvme: return "NVMe"
            case .ssd: return "SSD"
            case .hdd: return "HDD"
            case .pmem: return "PMEM"
            case .unknown: return "drive (kind unknown)"
            }
        }

        /// Who reported `fact`: `BMC reports` for Redfish (`redfish`, `redfish SmartStorage`, and facts no reader
        /// notes, which only BMCs report in odd units), else `<tool output> reports` (`dmidecode.txt reports`).
        static func reporter(_ inventory: Inventory, _ fact: String) -> String {
            guard let source = inventory.sources[fact], !source.hasPrefix("redfish") else { return "BMC reports" }
            return "\(source) reports"
        }

        /// `256 GB in 8 DIMMs (BMC reports 244.1 GiB)`, `128 GB installed`, `62.7 GiB usable`.
        static func memory(_ inventory: Inventory) -> String? {
            let memory = inventory.memory
            guard let total = memory.totalGiB else { return nil }
            var text: String
            if memory.totalIsUsable {
                text = "\(number(total)) GiB usable"
            } else {
                text = "\(number(total)) GB"
                text += memory.dimms.isEmpty ? " installed" : " in \(memory.dimms.count) DIMMs"
            }
            if let reported = memory.reportedTotalGiB {
                text += " (\(reporter(inventory, "memory.total_gib")) \(number(reported)) GiB)"
            }
            return text
        }

        /// Data drives by size and kind, largest first, with what was reported when the size differs by 1% or more,
        /// or when the reader had concluded another kind: `2× 1.92 TB NVMe (BMC reports PCIe SSD)`.
        static func storage(_ inventory: Inventory) -> String {
            let drives = inventory.storage.filter { Double($0.sizeBytes) >= InventoryFeatures.smallestDataDrive }
            guard !drives.isEmpty else { return "no data drives" }
            struct Group: Hashable {
                var sizeBytes: Int64
                var kind: StorageDevice.Kind
            }
            let groups = Dictionary(grouping: drives) { Group(sizeBytes: $0.sizeBytes, kind: $0.kind) }
            let order = groups.keys.sorted {
                ($0.sizeBytes, $0.kind.rawValue) > ($1.sizeBytes, $1.kind.rawValue)
            }
            return order.map { key in
                let members = groups[key]!
                var text = "\(members.count)× \(driveSize(Double(key.sizeBytes))) \(kind(key.kind))"
                var reported: [String] = []
                let sizes = Set(
                    members.compactMap(\.reportedSizeBytes).filter {
                        abs(Double($0 - key.sizeBytes)) >= Double(key.sizeBytes) * 0.01
                    })
                reported += sizes.sorted().map { "\(number(Double($0) / 1e9)) GB" }
                let kinds = Set(
                    members.filter { $0.reportedKind != nil && $0.reportedKind != .unknown }.map { drive in
                        [drive.transport, drive.mediaType].compactMap { $0 }.joined(separator: " ")
                    }.filter { !$0.isEmpty })
                reported += kinds.sorted()
                if !reported.isEmpty {
                    text += " (\(reporter(inventory, "storage")) \(reported.joined(separator: ", ")))"
                }
                return text
            }.joined(separator: " + ")
        }

        /// Data ports by speed, fastest first, with the speeds reported (`2× 10 GbE (BMC reports 10240 Mbps)`), and
        /// the interfaces not counted (`not counted: ToManager (management)`).
        static func network(_ inventory: Inventory) -> String {
            let ports = inventory.nics.filter { $0.isDataPort && ($0.speedMbps ?? 0) > 0 }
            let groups = Dictionary(grouping: ports) { $0.speedMbps ?? 0 }
            var text = groups.keys.sorted(by: >).map { speed in
                let members = groups[speed]!
                var text = "\(members.count)× \(linkSpeed(speed))"
                let reported = Set(members.compactMap(\.reportedSpeedMbps)).sorted()
                if !reported.isEmpty {
                    let figures = reported.map { "\($0) Mbps" }.joined(separator: ", ")
                    text += " (\(reporter(inventory, "nic.speed")) \(figures))"
                }
                return text
            }.joined(separator: ", ")
            let others = inventory.nics.filter { !$0.isDataPort }
            if !others.isEmpty {
                let names = others.prefix(3).map { "\($0.name) (\($0.role?.rawValue ?? "other"))" }
                text += "; not counted: " + names.joined(separator: ", ") + (others.count > 3 ? ", …" : "")
            }
            return text
        }
    }
}
