extension Catalog {
    /// This catalog (an import of a legacy config set) with what `own` (our catalog, usually the shipped one) adds
    /// that no legacy file has: device types written in our schema (`origin: catalog`, such as the Dell PowerEdge
    /// types), their boards in their vendors' board lists, their firmware families, and example firmware files of
    /// their vendors that the import lacks. `catalog import` carries them, as it carries `bios-attributes.yaml`, so a
    /// re-import does not drop them.
    public func carryingOwnTypes(from own: Catalog) -> Catalog {
        var result = self
        let carried = own.deviceTypes.values.filter { $0.origin == .catalog && result.deviceTypes[$0.name] == nil }
        for type in carried.sorted(by: { $0.name < $1.name }) {
            result.deviceTypes[type.name] = type
            if var vendor = result.vendors[type.vendor] ?? own.vendors[type.vendor] {
                vendor.motherboards = Array(Set(vendor.motherboards + type.boards)).sorted()
                result.vendors[type.vendor] = vendor
            }
            if let mapping = own.firmware.deviceMapping[type.name] {
                result.firmware.deviceMapping[type.name] = mapping
            }
            result.templates += own.templates(for: type.name).filter { entry in
                !result.templates.contains { $0.deviceType == entry.deviceType && $0.name == entry.name }
            }
        }
        result.templates.sort { ($0.deviceType, $0.name) < ($1.deviceType, $1.name) }
        let vendors = Set(carried.map(\.vendor))
        for file in own.firmware.exampleFiles where vendors.contains(file.vendor) {
            if !result.firmware.exampleFiles.contains(file) { result.firmware.exampleFiles.append(file) }
        }
        return result
    }
}
