extension Normalisation {
    /// DIMM capacities as sold, GiB: powers of two and the 12/24/48/96/192 GB DDR5 sizes.
    public static let dimmSizesGiB: [Double] = [1, 2, 4, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 512]

    /// How firmware shrinks a marketing size by mixing decimal and binary prefixes: none; one step (32 GB written as
    /// 32000 MiB = 31.25 GiB); two steps (Dell iDRAC 8 writes a 32 GB DIMM's `CapacityMiB` as 31250 = 30.52 GiB);
    /// three steps (the size in decimal bytes, 32 × 10⁹ B = 29.80 GiB).
    static let prefixFactors: [Double] = [1, 1000.0 / 1024, 1_000_000.0 / 1_048_576, 1e9 / 1_073_741_824]

    /// How far (relative) a DIMM's size may be from a variant of a marketing size.
    static let dimmTolerance = 0.005

    /// The marketing size of a DIMM reported as `gib` GiB (30.52 → 32), or `gib` unchanged when it is no variant of
    /// a size sold.
    public static func dimmSize(_ gib: Double) -> Double {
        guard gib.isFinite, gib > 0 else { return gib }
        for factor in prefixFactors {
            for size in dimmSizesGiB where abs(gib - size * factor) <= size * factor * dimmTolerance {
                return size
            }
        }
        return gib
    }

    /// A BMC's memory total (no DIMMs known) reported with mixed prefixes, as the installed size: 244.14 (iDRAC 8,
    /// 8 × 31250 MiB) → 256, also when the BMC rounds it to 244. Installed totals are whole multiples of 8 GiB; a
    /// total that already is one, or that no prefix variant of one explains (within 0.1%), is kept.
    public static func memoryTotal(_ gib: Double) -> Double {
        guard gib.isFinite, gib > 0 else { return gib }
        func multipleOf8(_ value: Double) -> Double { (value / 8).rounded() * 8 }
        if abs(gib - gib.rounded()) < 0.01, multipleOf8(gib) == gib.rounded() { return gib }
        var best: (size: Double, distance: Double)?
        for factor in prefixFactors.dropFirst() {
            let size = multipleOf8(gib / factor)
            guard size > 0 else { continue }
            let distance = abs(gib - size * factor) / (size * factor)
            if distance <= 0.001, distance < best?.distance ?? .infinity { best = (size, distance) }
        }
        return best?.size ?? gib
    }

    /// DIMM sizes to marketing sizes; the total from the DIMMs when the reported one disagrees (the DIMMs are what
    /// is installed) and every module was read (`dimmsComplete`), else a lone BMC total from its prefix variant.
    static func normaliseMemory(_ memory: inout MemoryInventory, dimmsComplete: Bool = true) {
        for index in memory.dimms.indices {
            let reported = memory.dimms[index].sizeGiB
            let size = dimmSize(reported)
            if size != reported {
                memory.dimms[index].reportedSizeGiB = memory.dimms[index].reportedSizeGiB ?? reported
                memory.dimms[index].sizeGiB = size
            }
        }
        // Some modules could not be read (a problem on the memory section): the source's own installed total
        // (Redfish `MemorySummary`) is kept, not replaced by the sum of the modules that could.
        if !memory.dimms.isEmpty && (dimmsComplete || memory.totalGiB == nil || memory.totalIsUsable) {
            let sum = memory.dimms.reduce(0) { $0 + $1.sizeGiB }
            guard sum.isFinite, sum > 0 else { return }
            if let total = memory.totalGiB, abs(total - sum) <= 0.01 { return }
            memory.reportedTotalGiB = memory.reportedTotalGiB ?? memory.totalGiB
            memory.totalGiB = sum
            memory.totalIsUsable = false
        } else if let total = memory.totalGiB, !memory.totalIsUsable {
            let size = memoryTotal(total)
            if size != total {
                memory.reportedTotalGiB = memory.reportedTotalGiB ?? total
                memory.totalGiB = size
            }
        }
    }
}
