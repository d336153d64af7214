import Foundation

extension Lab {
    /// Writes an entry to BMC `bmc`'s log `log` (default: where the BMC puts hardware events), dated now by the lab's
    /// clock; the entry's id, or nil when there is no such BMC or log.
    @discardableResult
    public func addLogEntry(bmc: Int, severity: String, message: String, log: String? = nil) -> Int? {
        guard nodes.indices.contains(bmc) else { return nil }
        let now = clock.now()
        return nodes[bmc].withState { $0.addLogEntry(severity: severity, message: message, at: now, log: log) }
    }
}
