/// Turns what servers report into the values people and the catalog use, in one pass over a whole inventory, and
/// keeps each replaced figure in a `reported…` field so explanations can show both.
///
/// Rules (each documented where it is implemented, with the firmware family it comes from):
/// - placeholder strings (`NONE`, `To be filled by O.E.M.`, `Default string`, `0123456789`, …) become nil in every
///   identity field (`Normalisation+Text.swift`);
/// - the manufacturer maps to one vendor id in `SystemInfo.vendor` (`VendorName`);
/// - link speeds snap to the nearest standard Ethernet rate, MACs take the colon form in lower case, and BMC links,
///   USB and software interfaces are marked so they are not counted as data ports (`Normalisation+Network.swift`);
/// - DIMM capacities snap to their marketing size and the memory total follows the DIMMs
///   (`Normalisation+Memory.swift`);
/// - drive kinds follow transport, media type, name and model, and drive sizes snap to the nearest marketing
///   capacity (`Normalisation+Storage.swift`).
///
/// Normalising is idempotent (a normalised inventory does not change again), so every path may apply it: discovery
/// applies it when an inventory is complete, and `Classifier.classify(_:)` applies it to what it is given, so
/// inventories read from older files or the store classify the same way.
public enum Normalisation {
    /// Normalises `inventory` in place.
    public static func normalise(_ inventory: inout Inventory) {
        guard !inventory.isNormalised else { return }
        defer { inventory.normalisedMark.isSet = true }
        normaliseText(&inventory)
        if inventory.system.vendor == nil {
            inventory.system.vendor =
                VendorName.normalise(inventory.system.manufacturer)
                ?? VendorName.normalise(inventory.baseboard.manufacturer)
        }
        normaliseMemory(&inventory.memory, dimmsComplete: !inventory.problems.contains { $0.section == .memory })
        // Elements are written back only when they change, so a normalised inventory is not copied again.
        for (index, drive) in inventory.storage.enumerated() {
            var copy = drive
            normaliseDrive(&copy)
            if copy != drive { inventory.storage[index] = copy }
        }
        for (index, nic) in inventory.nics.enumerated() {
            var copy = nic
            normaliseInterface(&copy)
            if copy != nic { inventory.nics[index] = copy }
        }
        if let bmc = inventory.bmc {
            var copy = bmc
            normaliseBMC(&copy)
            if copy != bmc { inventory.bmc = copy }
        }
    }

    /// A normalised copy of `inventory`.
    public static func normalised(_ inventory: Inventory) -> Inventory {
        guard !inventory.isNormalised else { return inventory }
        var copy = inventory
        normalise(&copy)
        return copy
    }
}
