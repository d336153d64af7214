extension Inventory {
    /// The required sections (`InventorySection.required`) this inventory has nothing for: no CPU model, socket or
    /// core count; no memory total or DIMM; no drive; no data port.
    public var missingSections: [InventorySection] {
        InventorySection.required.filter { section in
            switch section {
            case .cpu: return cpu.model == nil && cpu.sockets == nil && cpu.physicalCores == nil
            case .memory: return memory.totalGiB == nil && memory.dimms.isEmpty
            case .storage: return storage.isEmpty
            case .nics: return !nics.contains { $0.isDataPort }
            case .system, .board, .bmc: return false
            }
        }
    }
}
