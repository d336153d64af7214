import Foundation
import Inventory
import Redfish

extension SimulatedBMC {
    static func link(_ path: String) -> JSONValue { .object(["@odata.id": .string(root + path)]) }

    var serviceRoot: JSONValue {
        .object([
            "@odata.id": .string(Self.root), "Id": .string("RootService"), "Name": .string("Lab Root Service"),
            "RedfishVersion": .string("1.15.0"), "UUID": .string(server.uuid),
            "ProtocolFeaturesSupported": .object([
                "ExpandQuery": .object([
                    "ExpandAll": .bool(true), "Levels": .bool(true), "MaxLevels": .number(1), "NoLinks": .bool(true),
                ])
            ]),
            "Systems": Self.link("/Systems"), "Managers": Self.link("/Managers"), "Chassis": Self.link("/Chassis"),
            "SessionService": Self.link("/SessionService"), "UpdateService": Self.link("/UpdateService"),
            "AccountService": Self.link("/AccountService"),
            // The schema's name for the link to the TaskService is `Tasks`.
            "Registries": Self.link("/Registries"), "Tasks": Self.link("/TaskService"),
            "Vendor": .string(reportedManufacturer), "Product": .string(server.product),
            "Links": .object(["Sessions": Self.link("/SessionService/Sessions")]),
        ])
    }

    /// The system, in the profile's words (`SimulatedBMC+VendorShapes.swift`).
    var system: JSONValue {
        var system: [String: JSONValue] = [
            "@odata.id": .string(Self.root + "/Systems/1"), "Id": .string("1"), "Name": .string("System"),
            "Manufacturer": .string(reportedManufacturer), "Model": .string(server.product),
            "SerialNumber": .string(server.serial),
            "UUID": .string(server.uuid), "BiosVersion": .string(biosVersion),
            "PowerState": .string(reportedPowerState),
            "BootProgress": bootProgress,
            "ProcessorSummary": .object([
                "Count": .number(Double(server.sockets)),
                "CoreCount": .number(Double(server.sockets * server.coresPerSocket)),
                "LogicalProcessorCount": .number(
                    Double(server.sockets * server.coresPerSocket * server.threadsPerCore)),
                "Model": .string(server.cpuBrand),
            ]),
            "MemorySummary": .object(["TotalSystemMemoryGiB": .number(Double(server.memoryGiB))]),
            "Bios": Self.link("/Systems/1/Bios"), "Processors": Self.link("/Systems/1/Processors"),
            "Memory": Self.link("/Systems/1/Memory"), "EthernetInterfaces": Self.link("/Systems/1/EthernetInterfaces"),
            "Storage": Self.link("/Systems/1/Storage"),
            // As every vendor's system links its chassis and its BMC (DMTF's public-rackmount1 mockup alike).
            "Links": .object([
                "Chassis": .array([Self.link("/Chassis/1")]), "ManagedBy": .array([Self.link("/Managers/1")]),
            ]),
            "Actions": .object([
                "#ComputerSystem.Reset": .object([
                    "target": .string(Self.root + "/Systems/1/Actions/ComputerSystem.Reset"),
                    "ResetType@Redfish.AllowableValues": .array(
                        ["On", "ForceOff", "GracefulShutdown", "GracefulRestart", "ForceRestart", "PowerCycle"].map {
                            .string($0)
                        }),
                ])
            ]),
        ]
        system["Oem"] = systemOem
        system["SecureBoot"] = Self.link("/Systems/1/SecureBoot")
        system["LogServices"] = logServicesLink("Systems")
        // The lab's truth has no SKU; an AMI BIOS nobody filled in says so in its own words.
        if profile == .supermicro { system["SKU"] = .string("Default string") }
        return .object(system)
    }

    func processor(_ id: String) -> LabResponse {
        guard id.hasPrefix("CPU"), let index = Int(id.dropFirst(3)), index < server.sockets else {
            return .error(404, "Base.1.8.ResourceMissingAtURI", "No processor \(id).")
        }
        return ok(
            .object([
                "Id": .string(id), "ProcessorType": .string("CPU"), "Model": .string(server.cpuBrand),
                "Socket": .string("CPU\(index + 1)"), "TotalCores": .number(Double(server.coresPerSocket)),
                "TotalThreads": .number(Double(server.coresPerSocket * server.threadsPerCore)),
                "MaxSpeedMHz": .number(Double(server.maxSpeedMHz)), "Status": .object(["State": .string("Enabled")]),
            ]))
    }

    func dimm(_ id: String) -> LabResponse {
        guard id.hasPrefix("DIMM"), let index = Int(id.dropFirst(4)), index < server.dimmCount else {
            return .error(404, "Base.1.8.ResourceMissingAtURI", "No memory module \(id).")
        }
        return ok(
            .object([
                "Id": .string(id), "DeviceLocator": .string("DIMM\(index)"),
                "CapacityMiB": .number(Double(reportedDIMMCapacityMiB)),
                "OperatingSpeedMhz": .number(3200), "Manufacturer": .string("Samsung"),
                "PartNumber": .string("M393A4K40EB3-CWE"),
                "SerialNumber": .string(String(format: "%08X", 0x1000_0000 + index)),
                "Status": .object(["State": .string("Enabled")]),
            ]))
    }

    /// One of the system's EthernetInterfaces, by the id the profile gives it (`interfaceIDs`).
    func hostInterface(_ id: String) -> LabResponse {
        if profile == .lenovo && id == "ToManager" { return ok(toManagerInterface) }
        guard interfaceIDs.contains(id), let index = server.ports.indices.first(where: { interfaceID($0) == id })
        else {
            return .error(404, "Base.1.8.ResourceMissingAtURI", "No interface \(id).")
        }
        let port = server.ports[index]
        return ok(
            .object([
                "Id": .string(id),
                "MACAddress": .string(reportedMAC(port.mac)),
                "SpeedMbps": .number(Double(reportedSpeedMbps(port.speedMbps))),
                "LinkStatus": .string(linkUp(index) ? "LinkUp" : "LinkDown"),
                "Status": .object(["State": .string("Enabled")]),
            ]))
    }

    var storage: JSONValue {
        .object([
            "Id": .string("1"), "Name": .string("Storage Controller"),
            "Drives": .array(server.drives.map { Self.link("/Systems/1/Storage/1/Drives/\($0.name)") }),
        ])
    }

    /// A drive, by its name (`nvme0n1`, `sda`): the `Id` and the last segment of its URI.
    func drive(_ id: String) -> LabResponse {
        guard let drive = server.drives.first(where: { $0.name == id }) else {
            return .error(404, "Base.1.8.ResourceMissingAtURI", "No drive \(id).")
        }
        return ok(
            .object([
                "Id": .string(drive.name), "Model": .string(drive.model), "SerialNumber": .string(drive.serial),
                "CapacityBytes": .number(Double(drive.sizeBytes)),
                "Protocol": .string(reportedProtocol(drive)),
                "MediaType": .string(drive.kind == .hdd ? "HDD" : "SSD"), "Status": driveStatus(drive.name),
            ]))
    }

    var bios: LabResponse {
        let values = Dictionary(uniqueKeysWithValues: attributes.map { ($0.key, $0.value.value) })
        return ok(
            .object([
                "@odata.id": .string(Self.root + "/Systems/1/Bios"), "Id": .string("Bios"),
                "AttributeRegistry": .string(labBIOS.registryID), "Attributes": .object(values),
                "@Redfish.Settings": .object([
                    "SettingsObject": Self.link("/Systems/1/\(settingsSegments.0)/\(settingsSegments.1)"),
                    "SupportedApplyTimes": .array([.string("OnReset")]),
                ]),
            ]), etag: "W/\"bios-\(settingsVersion)\"")
    }

    var settingsETag: String { "\"settings-\(settingsVersion)\"" }

    var biosSettings: LabResponse {
        ok(
            .object([
                "@odata.id": .string(Self.root + "/Systems/1/\(settingsSegments.0)/\(settingsSegments.1)"),
                "Attributes": .object(pending),
                "@odata.etag": .string(settingsETag),
            ]), etag: settingsETag)
    }

    var manager: JSONValue {
        var manager: [String: JSONValue] = [
            "@odata.id": .string(Self.root + "/Managers/1"), "Id": .string("1"), "ManagerType": .string("BMC"),
            "FirmwareVersion": .string(bmcFirmware), "EthernetInterfaces": Self.link("/Managers/1/EthernetInterfaces"),
            "HostInterfaces": Self.link("/Managers/1/HostInterfaces"),
        ]
        manager["LogServices"] = logServicesLink("Managers")
        if profile == .supermicro {
            manager["Oem"] = .object([
                "Supermicro": .object([
                    "KCSInterface": Self.link("/Managers/1/Oem/Supermicro/KCSInterface"),
                    "LicenseManager": Self.link("/Managers/1/LicenseManager"),
                ])
            ])
        }
        if profile == .dell {
            manager["Links"] = .object(["Oem": .object(["Dell": .object(["Jobs": Self.link("/Managers/1/Jobs")])])])
        }
        return .object(manager)
    }

    /// A Dell configuration job (iDRAC's shape).
    func job(_ id: String) -> LabResponse {
        guard let job = jobs.first(where: { $0.id == id }) else {
            return .error(404, "Base.1.8.ResourceMissingAtURI", "No job \(id).")
        }
        let message =
            switch job.state {
            case "Scheduled": "Task successfully scheduled."
            case "Running": "Job in progress."
            default: "Job completed successfully."
            }
        return ok(
            .object([
                "@odata.id": .string(Self.root + "/Managers/1/Jobs/\(id)"), "Id": .string(id),
                "Name": .string("Configure: BIOS.Setup.1-1"), "JobType": .string("BIOSConfiguration"),
                "JobState": .string(job.state), "Message": .string(message),
                "PercentComplete": .number(job.state == "Completed" ? 100 : job.state == "Running" ? 50 : 0),
            ]))
    }

    var managerInterface: JSONValue {
        .object([
            "@odata.id": .string(Self.root + "/Managers/1/EthernetInterfaces/1"), "Id": .string("1"),
            "MACAddress": .string(server.bmcMAC),
            "IPv4Addresses": .array([
                .object([
                    "Address": .string(managerAddress.address), "SubnetMask": .string(managerAddress.mask),
                    "Gateway": .string(managerAddress.gateway), "AddressOrigin": .string(managerAddress.origin),
                ])
            ]),
        ])
    }

    var chassis: JSONValue {
        var chassis: [String: JSONValue] = [
            "@odata.id": .string(Self.root + "/Chassis/1"), "Id": .string("1"), "ChassisType": .string("RackMount"),
            "Manufacturer": .string(reportedManufacturer), "Model": .string(server.board),
            // The lab's truth has no chassis serial: Supermicro's FRU then carries the factory's placeholder.
            "SerialNumber": .string(profile == .supermicro ? "0123456789" : server.serial),
        ]
        chassis["NetworkAdapters"] = chassisNetworkAdapters
        if servesSensors { chassis["Sensors"] = Self.link("/Chassis/1/Sensors") }
        if servesThermal {
            chassis["Thermal"] = Self.link("/Chassis/1/Thermal")
            chassis["Power"] = Self.link("/Chassis/1/Power")
        }
        return .object(chassis)
    }

    var accountService: JSONValue {
        .object([
            "@odata.id": .string(Self.root + "/AccountService"), "ServiceEnabled": .bool(true),
            "MinPasswordLength": .number(8), "MaxPasswordLength": .number(20),
            "Accounts": Self.link("/AccountService/Accounts"), "Roles": Self.link("/AccountService/Roles"),
        ])
    }

    func account(_ id: String) -> LabResponse {
        guard let slot = Int(id), let account = accounts[slot] else {
            return .error(404, "Base.1.8.ResourceMissingAtURI", "No account \(id).")
        }
        // The password is never returned (Redfish says null).
        return ok(
            .object([
                "@odata.id": .string(Self.root + "/AccountService/Accounts/\(slot)"), "Id": .string(id),
                "UserName": .string(account.user), "RoleId": .string(account.role), "Enabled": .bool(account.enabled),
                "AccountTypes": .array([.string("Redfish")]),
                "Password": .null,
            ]))
    }

    var sessionService: JSONValue {
        .object([
            "@odata.id": .string(Self.root + "/SessionService"), "ServiceEnabled": .bool(true),
            "SessionTimeout": .number(settings.sessionTimeout), "Sessions": Self.link("/SessionService/Sessions"),
        ])
    }

    /// The registry's file entry in `Registries` (MessageRegistryFile): where the registry itself is.
    var registryFile: JSONValue {
        let id = labBIOS.registryID
        return .object([
            "Id": .string(id), "Name": .string("BIOS Attribute Registry File"), "Registry": .string(id),
            "Languages": .array([.string("en")]),
            "Location": .array([
                .object(["Language": .string("en"), "Uri": .string(Self.root + "/Registries/\(id)/en")])
            ]),
        ])
    }

    /// The BIOS AttributeRegistry (English), with its dependencies (`LabBIOS`): it describes the BIOS (each
    /// attribute's `DefaultValue` is its factory value), not its current state.
    var registry: JSONValue {
        labBIOS.registry(productName: server.product, biosVersion: biosVersion)
    }

    var updateService: JSONValue {
        .object([
            "@odata.id": .string(Self.root + "/UpdateService"), "ServiceEnabled": .bool(true),
            "Actions": .object([
                "#UpdateService.SimpleUpdate": .object([
                    "target": .string(Self.root + "/UpdateService/Actions/UpdateService.SimpleUpdate")
                ])
            ]),
            "MultipartHttpPushUri": .string(Self.root + "/UpdateService/upload"),
            "FirmwareInventory": Self.link("/UpdateService/FirmwareInventory"),
        ])
    }
}
