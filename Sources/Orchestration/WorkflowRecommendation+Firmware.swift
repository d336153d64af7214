import Inventory

extension WorkflowRecommendation {
    /// Firmware-first when `urgent` (a plan's `urgentUpdates`) is not empty and the server would otherwise be
    /// commissioned as is, with the reason naming the updates.
    mutating func steer(urgent: [String]) {
        guard !urgent.isEmpty else { return }
        if workflow == .intelligentCommissioning { workflow = .firmwareFirst }
        reasons.append(
            "\(urgent.count) security or critical firmware update(s) pending (\(urgent.joined(separator: ", "))): "
                + "update firmware first")
    }
}
