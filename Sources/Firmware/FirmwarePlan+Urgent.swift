extension FirmwarePlan {
    /// The planned updates the repository marks security or critical, each as `bmc 1.73.14 → 1.74.06 (security)`:
    /// what makes a workflow recommendation firmware-first.
    public var urgentUpdates: [String] {
        updates.compactMap { item in
            guard let target = item.target, target.security || target.priority == .critical else { return nil }
            return "\(item.component.rawValue) \(item.current ?? "?") → \(target.version) ("
                + (target.security ? "security" : "critical") + ")"
        }
    }
}
