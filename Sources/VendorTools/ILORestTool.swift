import Foundation
import Logging
import Redfish
import Remote

/// HPE iLOrest, out of band. Each operation is one session in its own private cache directory:
/// `ilorest --nologo --config C --cache-dir D login`, then `get --select Bios. --json` to read, or
/// `set KEY=VALUE --select Bios.` per change and `commit` to stage changes for the next reset, then `logout`
/// (also after a failure).
///
/// The password: `ilorest login IP -u USER -p PASSWORD` would put it on the command line, so `login` is given no
/// arguments and reads `url`, `username` and `password` from the configuration file named by the global `--config`
/// option (written 0600 in a 0700 directory, removed after). How sure: high. HPE's iLOrest user guide documents
/// `-c, --config=CONFIGFILE` and the file's `url`, `username` and `password` settings ("option to use the provided
/// username to login"); iLOrest's source (`LoginCommand.loginvalidation`) fills the user and password from the
/// configuration when the command line has none, and takes the URL from it when `login` has no argument. The
/// source reads the section `[redfish]` (`RdmcConfig._sectionname`) while the guide's sample file shows
/// `[iLOrest]`; the file written here carries the same settings under both. The session key iLOrest caches stays
/// in the private cache directory, removed with it.
public struct ILORestTool: VendorBIOSTool, VendorToolDriver {
    /// `.ilorest`.
    public var kind: VendorToolKind { Self.toolKind }
    /// The BMC.
    public var host: String { process.host }

    static var toolKind: VendorToolKind { .ilorest }
    static var defaultTimeout: Duration { .seconds(300) }
    let process: VendorToolProcess

    /// Why the program cannot be started here (not installed where the catalog says, nor on `PATH`); nil when it can.
    public func unavailable() -> VendorToolError? { process.missingProgram() }

    /// Every Bios attribute (`get --select Bios. --json`), as text.
    public func currentSettings(keys: [String] = []) async throws(VendorToolError) -> [String: String] {
        try await session { global throws(VendorToolError) in
            let output = try await process.run("get", global + ["get", "--select", "Bios.", "--json"])
            return try Self.attributes(fromJSON: output.standardOutput, process: process)
        }
    }

    /// The attributes staged for the next reset: what `get --select Bios. --json` prints after the current Bios
    /// resource (HPE's guide: that command gives "the current and pending settings"); empty when it prints only the
    /// current one. `keys` are not needed: the resource comes whole.
    public func pendingSettings(keys: [String] = []) async throws(VendorToolError) -> [String: String] {
        try await session { global throws(VendorToolError) in
            let output = try await process.run("get", global + ["get", "--select", "Bios.", "--json"])
            return try Self.attributes(fromJSON: output.standardOutput, process: process, pending: true)
        }
    }

    /// `set KEY=VALUE --select Bios.` for each change, then `commit`; the BIOS applies them at the next reset.
    public func apply(_ changes: [VendorBIOSChange]) async throws(VendorToolError) {
        guard !changes.isEmpty else { return }
        try await session { global throws(VendorToolError) in
            for change in changes {
                _ = try await process.run(
                    "set \(change.key)", global + ["set", "\(change.key)=\(change.value)", "--select", "Bios."])
            }
            logger.info(
                "ilorest commit", metadata: ["bmc": "\(host)", "settings": "\(changes.map(\.setting).sorted())"])
            _ = try await process.run("commit", global + ["commit"])
        }
    }

    /// Logs in with a private configuration file and cache, runs `body` with the global options, logs out (a failed
    /// logout is logged, not thrown: the work is done).
    func session<T>(_ body: ([String]) async throws(VendorToolError) -> T) async throws(VendorToolError) -> T {
        try await process.withPrivateDirectory { directory throws(VendorToolError) in
            let configuration = directory.appendingPathComponent("redfish.conf")
            let cache = directory.appendingPathComponent("cache")
            try process.writePrivateFile(configuration, configurationFile())
            let global = ["--nologo", "--config", configuration.path, "--cache-dir", cache.path]
            _ = try await process.run("login", global + ["login"])
            let result: T
            do throws(VendorToolError) {
                result = try await body(global)
            } catch {
                _ = try? await process.run("logout", global + ["logout"])
                throw error
            }
            do throws(VendorToolError) {
                _ = try await process.run("logout", global + ["logout"])
            } catch {
                // The work is done; a session left open times out on the iLO by itself.
                logger.warning("ilorest logout failed", metadata: ["bmc": "\(host)", "error": "\(error)"])
            }
            return result
        }
    }

    private func configurationFile() -> String {
        let settings = "url = https://\(host)\nusername = \(user)\npassword = \(password)\n"
        return "[redfish]\n\(settings)\n[iLOrest]\n\(settings)"
    }

    /// The attributes in what `get --select Bios. --json` prints: a Bios resource (`Attributes` inside), a list of
    /// them (current first, then the pending settings), or the attributes themselves. With `pending`, the pending
    /// resource's (the one whose `@odata.id` names `settings`, else the second), or none when there is no such one.
    static func attributes(
        fromJSON text: String, process: VendorToolProcess, pending: Bool = false
    ) throws(VendorToolError) -> [String: String] {
        guard let start = text.firstIndex(where: { $0 == "{" || $0 == "[" }),
            let value = try? JSONDecoder().decode(JSONValue.self, from: Data(text[start...].utf8))
        else {
            throw process.failure(.invalidOutput, "`get --select Bios. --json` did not print JSON")
        }
        var resource = value.object != nil ? value : (value.array.first ?? .null)
        if pending {
            let later = value.array.dropFirst()
            guard
                let staged = later.first(where: { $0["@odata.id"].string?.lowercased().contains("settings") == true })
                    ?? later.first
            else { return [:] }
            resource = staged
        }
        guard let object = resource["Attributes"].object ?? resource.object else {
            throw process.failure(.invalidOutput, "`get --select Bios. --json` printed no Bios attributes")
        }
        var attributes: [String: String] = [:]
        for (key, value) in object {
            if let text = value.string, value.object == nil, value.array.isEmpty { attributes[key] = text }
        }
        return attributes
    }
}
