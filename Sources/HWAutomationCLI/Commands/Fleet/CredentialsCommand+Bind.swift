import ArgumentParser
import Foundation
import Store

/// `hwautomation credentials bind`: changes where a stored credential may go, without giving its secret again.
struct CredentialsBindCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bind",
        abstract: "Change the addresses a stored credential may be used against, and whether plain http is allowed.")
    @OptionGroup var store: StoreOptions
    @Argument(help: "Credential name.") var name: String
    @Option(
        name: .customLong("allow"),
        help: ArgumentHelp(
            "Add an address (repeatable): an IPv4/IPv6 CIDR, an IP, a hostname or a hostname glob with *.",
            valueName: "address"))
    var allow: [String] = []
    @Option(name: .customLong("remove"), help: ArgumentHelp("Remove an address (repeatable).", valueName: "address"))
    var remove: [String] = []
    @Flag(help: "Remove every address first (with no --allow: usable against any address).") var unbind = false
    @Flag(name: .customLong("allow-plain-http"), help: "Allow sending it over plain http:// (labs only).")
    var allowPlainHTTP = false
    @Flag(name: .customLong("https-only"), help: "Refuse plain http:// again.") var httpsOnly = false

    func validate() throws {
        guard !(allowPlainHTTP && httpsOnly) else {
            throw ValidationError("--allow-plain-http and --https-only contradict each other")
        }
        guard !allow.isEmpty || !remove.isEmpty || unbind || allowPlainHTTP || httpsOnly else {
            throw ValidationError(
                "nothing to change: give --allow, --remove, --unbind, --allow-plain-http or --https-only")
        }
    }

    func run() async throws {
        let added: [AddressPattern]
        let removed: Set<AddressPattern>
        do {
            added = try allow.map { text throws(AddressPatternError) in try AddressPattern(text) }
            removed = Set(try remove.map { text throws(AddressPatternError) in try AddressPattern(text) })
        } catch {
            throw CommandFailure("\(error)")
        }
        let store = try await self.store.open()
        let scope = try await exitingOnError { () throws(StoreError) -> CredentialScope? in
            guard let current = try await store.credential(name: name) else { return nil }
            if let absent = removed.first(where: { !current.scope.allow.contains($0) }) {
                throw StoreError(
                    "credential \(name) is not bound to \(absent) (\(CredentialsListCommand.describe(current.scope)))")
            }
            let kept = unbind ? [] : current.scope.allow.filter { !removed.contains($0) }
            let scope = CredentialScope(
                allow: kept + added,
                allowPlainHTTP: allowPlainHTTP ? true : httpsOnly ? false : current.scope.allowPlainHTTP)
            guard try await store.bindCredential(name: name, scope: scope) else { return nil }
            try await store.audit(
                AuditEntry(
                    actor: "cli", action: "credential.bind", target: name,
                    detail: CredentialsListCommand.describe(scope)))
            return scope
        }
        guard let scope else {
            throw CommandFailure("no credential \(name) (`hwautomation credentials list`)")
        }
        print("credential \(name): \(CredentialsListCommand.describe(scope))")
    }
}
