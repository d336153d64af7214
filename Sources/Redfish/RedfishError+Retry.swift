/// Whether trying again can help: the one home of these rules for every caller (the client's own resends, the
/// workflow steps' retries, the firmware updater).
extension RedfishError {
    /// No answer came: the connection failed or the time ran out (whether the BMC acted is unknown).
    public var isUnanswered: Bool { kind == .transport || kind == .timeout }

    /// The BMC's own message says it is busy and did nothing (iDRAC `SYS518`, iLO `InvalidOperationForSystemState`).
    public var saysBusy: Bool {
        extendedInfo.contains { $0.contains("SYS518") || $0.contains("InvalidOperationForSystemState") }
    }

    /// Worth sending again: no answer, a 5xx but 501, or the BMC says it is busy. Refused credentials, other 4xx, 501
    /// (Not Implemented: the service does not do what was asked, and will not on a second try), refused origins and
    /// documents that are not JSON are not. (An action is never resent blindly: see `unrepeated`.)
    public var isTransient: Bool {
        if saysBusy || isUnanswered { return true }
        return kind == .http && (status ?? 0) >= 500 && status != 501
    }

    /// Worth running a workflow step again later: `isTransient`, or an answer that is not the JSON expected (a
    /// BMC's web server answering while its Redfish service restarts; the client itself does not resend for it).
    public var isWorthRetryingLater: Bool { isTransient || kind == .invalidResponse }
}
