import Foundation
import Redfish

/// One entry of a lab BMC's log (`LogServices/<log>/Entries/<id>`), as the BMC's firmware writes it.
public struct LabLogEntry: Sendable, Hashable {
    /// The entry's number in its log (its `Id`), from 1.
    public var id: Int
    /// The log it is in (`IML`, `Sel`, `Log1`, …).
    public var log: String
    /// `OK`, `Warning` or `Critical` (Redfish `EventSeverity`).
    public var severity: String
    /// What happened.
    public var message: String
    /// Lab time it was written (seconds; `SimulatedBMC.Settings.epoch` turns it into a date).
    public var labTime: Double
}
