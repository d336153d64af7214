/// Checks that hold for a catalog whatever its files looked like: vendors exist, specs are complete enough to
/// classify, and no two types are indistinguishable.
enum CatalogValidator {
    /// Appends every problem found in `loaded` to its diagnostics.
    static func check(_ loaded: inout LoadedCatalog) {
        var diagnostics = CatalogDiagnostics()
        let catalog = loaded.catalog
        func location(_ name: String) -> SourceLocation {
            loaded.typeLocations[name] ?? SourceLocation(file: loaded.directory)
        }
        for type in catalog.sortedDeviceTypes() {
            let here = location(type.name)
            if catalog.vendors[type.vendor] == nil {
                let known = catalog.vendors.keys.sorted().joined(separator: ", ")
                diagnostics.error(
                    "unknown-vendor", at: here,
                    "`\(type.name)` names vendor `\(type.vendor)`, which is not one of: \(known).")
            }
            let spec = type.hardware
            for (field, missing) in [
                ("cpu model", spec.cpu.model == nil), ("cpu cores", spec.cpu.cores == nil),
                ("memory", spec.memoryGiB == nil),
            ] where missing {
                diagnostics.error(
                    "missing-spec", at: here, "`\(type.name)`: \(field) is missing or null; the classifier needs it.")
            }
            for (field, missing) in [
                ("cpu frequency", spec.cpu.frequencyGHz == nil), ("storage", spec.storage == nil),
                ("network", spec.network == nil),
            ] where missing {
                diagnostics.warning(
                    "null-spec", at: here,
                    "`\(type.name)`: \(field) is missing or null; classification will not use it.")
            }
            if let cores = spec.cpu.cores, cores <= 0 {
                diagnostics.error(
                    "invalid-value", at: here, "`\(type.name)`: cpu cores must be positive, found \(cores).")
            }
            if let memory = spec.memoryGiB, memory <= 0 {
                diagnostics.error(
                    "invalid-value", at: here, "`\(type.name)`: memory must be positive, found \(memory).")
            }
            if spec.cpu.sockets <= 0 {
                diagnostics.error(
                    "invalid-value", at: here,
                    "`\(type.name)`: cpu sockets must be positive, found \(spec.cpu.sockets).")
            }
            // `.nan`, `.inf` and negative numbers are valid YAML but no hardware has them.
            let measures =
                [("cpu frequency", spec.cpu.frequencyGHz)] + (spec.storage ?? []).map { ("storage size", $0.sizeGB) }
                + (spec.network ?? []).map { ("network speed", $0.speedGbps) }
            for case let (field, value?) in measures where !(value.isFinite && value > 0) {
                diagnostics.error(
                    "invalid-value", at: here, "`\(type.name)`: \(field) must be a positive number, found \(value).")
            }
            let counts = (spec.storage ?? []).map(\.count) + (spec.network ?? []).map(\.count)
            for count in counts where count < 0 {
                diagnostics.error(
                    "invalid-value", at: here, "`\(type.name)`: a drive or port count is negative (\(count)).")
            }
        }
        for (first, second) in identicalPairs(catalog) {
            diagnostics.warning(
                "identical-specs", at: location(second.name),
                "`\(first.name)` (\(location(first.name))) and `\(second.name)` have identical hardware specs; the classifier cannot tell them apart. Make the specs differ or merge the types."
            )
        }
        loaded.diagnostics.append(contentsOf: diagnostics.all)
    }

    /// Pairs of same-vendor types whose hardware is equal and whose boards overlap (or are unknown).
    static func identicalPairs(_ catalog: Catalog) -> [(DeviceType, DeviceType)] {
        let groups = Dictionary(grouping: catalog.sortedDeviceTypes()) {
            SpecKey(vendor: $0.vendor, hardware: $0.hardware)
        }
        var pairs: [(DeviceType, DeviceType)] = []
        // Groups are walked as they are, never looked up again: a key holding `.nan` equals no key, itself included.
        for members in groups.values.sorted(by: { $0[0].name < $1[0].name }) {
            for i in members.indices {
                for j in members.indices where j > i {
                    let (a, b) = (members[i], members[j])
                    if a.boards.isEmpty || b.boards.isEmpty || !Set(a.boards).isDisjoint(with: b.boards) {
                        pairs.append((a, b))
                    }
                }
            }
        }
        return pairs
    }

    /// Parses every indexed template; one diagnostic per template that does not parse.
    static func checkTemplates(_ catalog: Catalog) -> [CatalogDiagnostic] {
        catalog.templates.compactMap { entry -> CatalogDiagnostic? in
            do throws(CatalogDiagnostic) {
                _ = try entry.load()
                return nil
            } catch {
                return error
            }
        }
    }

    private struct SpecKey: Hashable {
        var vendor: String
        var hardware: HardwareSpec
    }
}

extension Catalog {
    /// Pairs of types the classifier cannot tell apart: same vendor, equal hardware, overlapping (or unknown) boards.
    public func indistinguishablePairs() -> [(DeviceType, DeviceType)] {
        CatalogValidator.identicalPairs(self)
    }
}
