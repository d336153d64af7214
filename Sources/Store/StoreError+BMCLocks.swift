import Foundation
import WorkflowEngine

extension StoreError {
    /// Throws unless a BMC lock lease of `subject` (what the error names) given at `now` ends after it.
    static func checkBMCLease(_ subject: String, at now: Date, expiresAt: Date) throws(StoreError) {
        guard expiresAt > now else {
            throw StoreError(
                "\(subject): the lease would expire at \(expiresAt), not after \(now); give a later expiry")
        }
    }
}
