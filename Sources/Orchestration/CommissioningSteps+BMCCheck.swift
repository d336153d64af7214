import Foundation
import IPMI
import Inventory
import Remote
import Store
import WorkflowEngine

extension CommissioningSteps {
    /// After a crash during `configure-bmc` (out of band): where is the BMC now? With no pool (the step then only
    /// reads) or no address assigned to this server yet, nothing was changed: safe to run. Otherwise the pool's
    /// address for this server is tried, then the original `ipmi_host`: answering at the assigned address with the
    /// asked-for settings means the change was made (completed, `changed: true`); still answering at the original
    /// address as the original address means it was not (safe to run); anything else (answers at neither, shows
    /// another address, or half the settings) needs an operator, told which addresses were tried.
    func checkConfigureBMC(_ context: StepContext) async throws -> StepCheck {
        let input = try context.input(CommissioningInput.self)
        guard !input.dryRun, let original = input.ipmiHost, !original.isEmpty,
            let assigned = try await poolAddress(context, input)
        else { return .safeToRun }
        var seen: [String] = []
        for address in assigned == original ? [assigned] : [assigned, original] {
            let tool: IPMITool
            do {
                tool = ipmiTool(
                    address,
                    try await services.credential(
                        input.ipmiCredential ?? input.credential, for: "IPMI \(address)", host: address), input)
            } catch {
                seen.append("\(address): not tried (\(error))")
                continue
            }
            let lan: LANConfiguration
            do throws(IPMIError) {
                lan = try await tool.lan()
            } catch {
                seen.append("\(address): \(error.kind == .unreachable ? "no answer" : "\(error)")")
                continue
            }
            if let decided = await judge(lan, at: address, assigned: assigned, original: original, input, tool) {
                return decided
            }
            seen.append("\(address): answers with address \(lan.ip ?? "?"), netmask \(lan.netmask ?? "?")")
        }
        return .needsOperator(
            reason: "configure-bmc was interrupted while moving the BMC to \(assigned) (pool \(input.bmcPool ?? "")) "
                + "and it is not where it should be: " + seen.joined(separator: "; ")
                + "; find the BMC and set its address, then `workflow resume \(context.workflowID)`")
    }

    /// The in-band `configure-bmc` after a crash: ipmitool through the host always reaches the BMC, so `lan print`
    /// says where it is. At the pool's address for this server with the asked-for settings: completed; at the
    /// original address (`ipmi_host`, else the run's BMC address; or any address when neither is known): safe to
    /// run; the host unreachable, or anything else: an operator is needed.
    func checkConfigureBMCInBand(_ context: StepContext) async throws -> StepCheck {
        let input = try context.input(CommissioningInput.self)
        guard !input.dryRun, let destination = input.sshHost, !destination.isEmpty,
            let assigned = try await poolAddress(context, input)
        else { return .safeToRun }
        let original = input.ipmiHost ?? input.bmc.map { URL(string: $0)?.host ?? $0 }
        let lan: LANConfiguration
        let decided: StepCheck?
        let shell: any RemoteShell
        do {
            shell = try await self.shell(destination, context)
        } catch {
            return .needsOperator(
                reason: "configure-bmc was interrupted while moving the BMC to \(assigned), and its host "
                    + "\(destination) cannot be reached to ask where it is (\(error)); check the BMC, then "
                    + "`workflow resume \(context.workflowID)`")
        }
        do {
            let tool = IPMITool(host: shell, runner: services.runner)
            lan = try await tool.lan()
            decided = await judge(lan, at: nil, assigned: assigned, original: original, input, tool)
            await shell.close()
        } catch {
            await shell.close()
            return .needsOperator(
                reason: "configure-bmc was interrupted while moving the BMC to \(assigned), and `ipmitool lan print` "
                    + "on \(destination) fails (\(error)); check the BMC, then `workflow resume \(context.workflowID)`")
        }
        return decided
            ?? .needsOperator(
                reason: "configure-bmc was interrupted while moving the BMC to \(assigned) (pool "
                    + "\(input.bmcPool ?? "")); in band through \(destination) it shows address \(lan.ip ?? "?"), "
                    + "netmask \(lan.netmask ?? "?"), gateway \(lan.gateway ?? "?"), neither the assigned address "
                    + "with the asked-for settings nor the original \(original ?? "?"); set it, then "
                    + "`workflow resume \(context.workflowID)`")
    }

    /// The pool's address for this server, when the run has a pool and an earlier attempt was assigned one (looked
    /// up, not assigned: a check changes nothing).
    private func poolAddress(_ context: StepContext, _ input: CommissioningInput) async throws -> String? {
        guard let pool = input.bmcPool, !pool.isEmpty else { return nil }
        return try await services.store.assignments(pool: pool).first { $0.serverID == context.serverID }?.address
    }

    /// What a BMC showing `lan` (asked at `address`; nil in band) means: at `assigned` with the asked-for netmask
    /// and gateway, the change was made (completed with the step's output); at `original` (which is not the
    /// assigned address; any address in band when the original is unknown), it was not (safe to run); nil for
    /// anything else.
    private func judge(
        _ lan: LANConfiguration, at address: String?, assigned: String, original: String?,
        _ input: CommissioningInput, _ tool: IPMITool
    ) async -> StepCheck? {
        if lan.ip == assigned, assigned != original, address == nil || address == assigned {
            guard input.bmcNetmask == nil || lan.netmask == input.bmcNetmask,
                input.bmcGateway == nil || lan.gateway == input.bmcGateway
            else { return nil }
            let info = try? await tool.mcInfo()
            return .completed(
                CommissioningStepKeys.configureBMC,
                BMCStepOutput(
                    firmware: info?.firmwareRevision, manufacturer: info?.manufacturerName, address: lan.ip,
                    mac: lan.mac, changed: true))
        }
        guard let original else { return .safeToRun }
        return lan.ip == original && address.map { $0 == original } ?? true ? .safeToRun : nil
    }
}
