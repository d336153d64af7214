import Catalog
import Store

/// Which stored servers a fleet operation covers (a drift sweep, a remediation, a firmware rollout): exactly one
/// of a list of ids, a device type, or all.
public enum ServerSelection: Sendable, Hashable {
    /// These stored servers.
    case servers([String])
    /// The stored servers recorded as this device type.
    case deviceType(String)
    /// Every stored server with a BMC address.
    case all

    /// The selection from a front end's three ways of naming servers, exactly one of which must be given.
    public init(servers: [String], deviceType: String?, all: Bool) throws(ServiceError) {
        let given = [!servers.isEmpty, deviceType != nil, all].filter { $0 }.count
        guard given == 1 else {
            throw ServiceError(.invalid, field: .servers, "give servers, a device type or all (exactly one)")
        }
        if let deviceType {
            self = .deviceType(deviceType)
        } else {
            self = all ? .all : .servers(servers)
        }
    }

    /// The stored servers selected, in id order: unknown ones and ones without a BMC address are refused when
    /// named, left out when picked by type or `all`.
    public func servers(store: any Store, catalog: Catalog) async throws(ServiceError) -> [ServerRecord] {
        switch self {
        case .servers(let ids):
            guard !ids.isEmpty else { throw ServiceError(.invalid, field: .servers, "name at least one server") }
            guard Set(ids).count == ids.count else { throw ServiceError(.invalid, field: .servers, "a server twice") }
            var records: [ServerRecord] = []
            for id in ids {
                guard let record = try await ServiceError.storing({ try await store.server(id: id) }) else {
                    throw ServiceError(.notFound, "no stored server \(id) (`hwautomation servers list`)")
                }
                guard record.bmcAddress != nil else {
                    throw ServiceError(.invalid, field: .servers, "\(id) has no BMC address")
                }
                records.append(record)
            }
            return records
        case .deviceType(let name):
            guard catalog.deviceType(named: name) != nil else {
                throw ServiceError(.invalid, field: .deviceType, "no device type \(name) in the catalog")
            }
            return try await ServiceError.storing { try await store.servers() }.filter {
                $0.deviceType == name && $0.bmcAddress != nil
            }
        case .all:
            return try await ServiceError.storing { try await store.servers() }.filter { $0.bmcAddress != nil }
        }
    }

}
