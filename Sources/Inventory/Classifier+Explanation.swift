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
        ///
        /// It runs once per classification: drives are grouped by index in a small array (a server has a handful of
        /// groups), never copied, and what was reported is only gathered for groups that have any.
        static func storage(_ inventory: Inventory) -> String {
            let storage = inventory.storage
            var groups: [StorageGroup] = []
            for index in storage.indices where Double(storage[index].sizeBytes) >= InventoryFeatures.smallestDataDrive {
                let size = storage[index].sizeBytes
                let kind = storage[index].kind
                let reportedKind = storage[index].reportedKind
                let reported =
                    storage[index].reportedSizeBytes != nil || (reportedKind != nil && reportedKind != .unknown)
                if let group = groups.firstIndex(where: { $0.sizeBytes == size && $0.kind == kind }) {
                    groups[group].count += 1
                    groups[group].reported = groups[group].reported || reported
                } else {
                    groups.append(StorageGroup(sizeBytes: size, kind: kind, count: 1, reported: reported))
                }
            }
            guard !groups.isEmpty else { return "no data drives" }
            // (size, kind) is unique per group: the order is total, as a sort of distinct keys.
            groups.sort { ($0.sizeBytes, $0.kind.rawValue) > ($1.sizeBytes, $1.kind.rawValue) }
            var text = ""
            for (position, group) in groups.enumerated() {
                if position > 0 { text += " + " }
                text += "\(group.count)× \(driveSize(Double(group.sizeBytes))) \(kind(group.kind))"
                guard group.reported else { continue }
                var sizes: [Int64] = []
                var kinds: [String] = []
                for index in storage.indices
                where storage[index].sizeBytes == group.sizeBytes && storage[index].kind == group.kind {
                    if let size = storage[index].reportedSizeBytes,
                        abs(Double(size - group.sizeBytes)) >= Double(group.sizeBytes) * 0.01
                    {
                        sizes.append(size)
                    }
                    if let reportedKind = storage[index].reportedKind, reportedKind != .unknown {
                        let words = [storage[index].transport, storage[index].mediaType].compactMap { $0 }
                            .joined(separator: " ")
                        if !words.isEmpty { kinds.append(words) }
                    }
                }
                let reported = distinctSorted(sizes).map { "\(number(Double($0) / 1e9)) GB" } + distinctSorted(kinds)
                if !reported.isEmpty {
                    text += " (\(reporter(inventory, "storage")) \(reported.joined(separator: ", ")))"
                }
            }
            return text
        }

        /// Data drives of one size and kind.
        private struct StorageGroup {
            var sizeBytes: Int64
            var kind: StorageDevice.Kind
            var count: Int
            /// Whether any of them carries a reported size or kind.
            var reported: Bool
        }

        /// Data ports by speed, fastest first, with the speeds reported (`2× 10 GbE (BMC reports 10240 Mbps)`), and
        /// the interfaces not counted (`not counted: ToManager (management)`). Grouped by index, as `storage(_:)`.
        static func network(_ inventory: Inventory) -> String {
            let nics = inventory.nics
            var groups: [(speed: Int, count: Int, reported: Bool)] = []
            var others: [Int] = []
            for index in nics.indices {
                guard nics[index].isDataPort else {
                    others.append(index)
                    continue
                }
                guard let speed = nics[index].speedMbps, speed > 0 else { continue }
                let reported = nics[index].reportedSpeedMbps != nil
                if let group = groups.firstIndex(where: { $0.speed == speed }) {
                    groups[group].count += 1
                    groups[group].reported = groups[group].reported || reported
                } else {
                    groups.append((speed, 1, reported))
                }
            }
            groups.sort { $0.speed > $1.speed }
            var text = ""
            for (position, group) in groups.enumerated() {
                if position > 0 { text += ", " }
                text += "\(group.count)× \(linkSpeed(group.speed))"
                guard group.reported else { continue }
                var speeds: [Int] = []
                for index in nics.indices where nics[index].isDataPort && nics[index].speedMbps == group.speed {
                    if let reported = nics[index].reportedSpeedMbps { speeds.append(reported) }
                }
                let figures = distinctSorted(speeds).map { "\($0) Mbps" }.joined(separator: ", ")
                text += " (\(reporter(inventory, "nic.speed")) \(figures))"
            }
            if !others.isEmpty {
                let names = others.prefix(3).map { "\(nics[$0].name) (\(nics[$0].role?.rawValue ?? "other"))" }
                text += "; not counted: " + names.joined(separator: ", ") + (others.count > 3 ? ", …" : "")
            }
            return text
        }

        /// `values` sorted, each once (what `Set(values).sorted()` gives, without the set).
        static func distinctSorted<T: Comparable>(_ values: [T]) -> [T] {
            guard values.count > 1 else { return values }
            var sorted = values.sorted()
            var kept = 1
            for index in 1..<sorted.count where sorted[index] != sorted[kept - 1] {
                sorted[kept] = sorted[index]
                kept += 1
            }
            sorted.removeLast(sorted.count - kept)
            return sorted
        }
    }
}
