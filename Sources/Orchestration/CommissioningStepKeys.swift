import Firmware
import Inventory
import WorkflowEngine

/// The steps of the commissioning, firmware and MAAS workflows by name, each with the type of the output it keeps:
/// the one place their names are spelt. A later step reads an earlier one's output through its key.
public enum CommissioningStepKeys {
    /// Reads the server (Redfish, SSH).
    public static let discover = StepKey<Inventory>("discover")
    /// Decides its device type.
    public static let classify = StepKey<ClassifyOutput>("classify")
    /// The workflow recommendation the run follows (firmware first or not).
    public static let recommend = StepKey<RecommendStepOutput>("recommend")
    /// What the device type's BIOS needs changed.
    public static let planBIOS = StepKey<BIOSStepOutput>("plan-bios")
    /// The BMC's network and users.
    public static let configureBMC = StepKey<BMCStepOutput>("configure-bmc")
    /// One PATCH, one reset.
    public static let applyBIOS = StepKey<BIOSStepOutput>("apply-bios")
    /// The BIOS read back.
    public static let verify = StepKey<BIOSStepOutput>("verify")
    /// Boarding validation: the server judged fit to hand over, check by check.
    public static let validate = StepKey<BoardingReport>("validate")
    /// The server's record.
    public static let record = StepKey<[String: String]>("record")
    /// Commissioning in MAAS.
    public static let commission = StepKey<MAASStepOutput>("commission")
    /// The firmware the BMC reports.
    public static let firmwareInventory = StepKey<FirmwareInventory>("firmware-inventory")
    /// What the firmware policy says to flash.
    public static let planFirmware = StepKey<FirmwarePlan>("plan-firmware")
    /// What was flashed (or staged).
    public static let updateFirmware = StepKey<[FirmwareUpdater.Outcome]>("update-firmware")
    /// The flashed versions, running.
    public static let verifyFirmware = StepKey<[String]>("verify-firmware")
    /// The running versions, recorded.
    public static let recordFirmware = StepKey<[String: String]>("record-firmware")
    /// The machine MAAS commissioned for SSH (maas-provisioning).
    public static let maasCommission = StepKey<MAASCommissionOutput>("maas-commission")
    /// A server's BIOS and firmware compared with its type's desired state (drift-check).
    public static let checkDrift = StepKey<DriftStepOutput>("check-drift")
    /// The MAAS tags (maas-provisioning).
    public static let tag = StepKey<MAASStepOutput>("tag")
}
