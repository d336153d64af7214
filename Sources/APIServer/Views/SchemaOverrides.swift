import Catalog
import Firmware
import Inventory
import Orchestration
import Redfish
import Store
import WorkflowEngine

// The server's own Codable types behind schemas of the OpenAPI document (`typeOverrides` in
// scripts/openapi/openapi-generator-config.yaml): the generated `Components.Schemas.X` is an alias of one of these.
// Each has a name of its own, so the generated alias never names itself (`Catalog.X` would find the `Catalog` struct).

/// `#/components/schemas/DeviceType`.
typealias DeviceTypeSchema = DeviceType
/// `#/components/schemas/DeviceTypeSummary`.
typealias DeviceTypeSummarySchema = DeviceTypeSummary
/// `#/components/schemas/Vendor`.
typealias VendorSchema = Vendor
/// `#/components/schemas/CatalogStatus`.
typealias CatalogStatusSchema = CatalogStatus
/// `#/components/schemas/CatalogValidation`.
typealias CatalogValidationSchema = ValidationView
/// `#/components/schemas/CatalogProposal`.
typealias CatalogProposalSchema = CatalogProposal
/// `#/components/schemas/AcceptedProposal`.
typealias AcceptedProposalSchema = AcceptedProposal
/// `#/components/schemas/ProposalAcceptRequest`.
typealias ProposalAcceptRequestSchema = ProposalAcceptRequest
/// `#/components/schemas/AuditEntry`.
typealias AuditEntrySchema = AuditEntry
/// `#/components/schemas/PoolAssignment`.
typealias PoolAssignmentSchema = PoolAssignment
/// `#/components/schemas/PoolDefinition`.
typealias PoolDefinitionSchema = PoolDefinition
/// `#/components/schemas/PoolAssignRequest`.
typealias PoolAssignRequestSchema = PoolAssignRequest
/// `#/components/schemas/MAASMachine`.
typealias MAASMachineSchema = MAASMachineSummary
/// `#/components/schemas/MAASSyncRow`.
typealias MAASSyncRowSchema = MAASSync.Row
/// `#/components/schemas/DriftReport`.
typealias DriftReportSchema = DriftReport
/// `#/components/schemas/DriftRecord`.
typealias DriftRecordSchema = DriftRecord
/// `#/components/schemas/DriftSetting`.
typealias DriftSettingSchema = DriftSetting
/// `#/components/schemas/DriftFirmware`.
typealias DriftFirmwareSchema = DriftFirmware
/// `#/components/schemas/DriftRequest`.
typealias DriftRequestSchema = DriftRequest
/// `#/components/schemas/DriftStarted`.
typealias DriftStartedSchema = DriftStartView
/// `#/components/schemas/ServerDrift`.
typealias ServerDriftSchema = ServerDriftView
/// `#/components/schemas/NeedsAttention`.
typealias NeedsAttentionSchema = AttentionView
/// `#/components/schemas/BoardingReport`.
typealias BoardingReportSchema = BoardingReport
/// `#/components/schemas/BoardingCheck`.
typealias BoardingCheckSchema = BoardingCheck
/// `#/components/schemas/BIOSPlan`.
typealias BIOSPlanSchema = BIOSPlanView
/// `#/components/schemas/Classification`.
typealias ClassificationSchema = Classification
/// `#/components/schemas/Inventory` (the stored inventory as it was recorded).
typealias InventorySchema = JSONValue
/// `#/components/schemas/Server`.
typealias ServerSchema = ServerView
/// `#/components/schemas/ServerInput`.
typealias ServerInputSchema = ServerInput
/// `#/components/schemas/ServerRecommendation`.
typealias ServerRecommendationSchema = ServerRecommendation
/// `#/components/schemas/FirmwareCompliance`.
typealias FirmwareComplianceSchema = FirmwareComplianceReport
/// `#/components/schemas/FirmwareImage`.
typealias FirmwareImageSchema = FirmwareImage
/// `#/components/schemas/FirmwareInventory`.
typealias FirmwareInventorySchema = FirmwareInventory
/// `#/components/schemas/FirmwarePlan`.
typealias FirmwarePlanSchema = FirmwarePlan
/// `#/components/schemas/Rollout`.
typealias RolloutSchema = RolloutView
/// `#/components/schemas/RolloutWave`.
typealias RolloutWaveSchema = RolloutWave
/// `#/components/schemas/RolloutRequest`.
typealias RolloutRequestSchema = RolloutRequest
/// `#/components/schemas/RunOptions` (also `StartWorkflows`, which adds `definition` and `servers`).
typealias RunOptionsSchema = RunOptions
/// `#/components/schemas/ResumeOptions`.
typealias ResumeOptionsSchema = ResumeOptions
/// `#/components/schemas/Workflow`.
typealias WorkflowSchema = WorkflowRecord
/// `#/components/schemas/WorkflowDetail`.
typealias WorkflowDetailSchema = WorkflowView
/// `#/components/schemas/Step`.
typealias StepSchema = StepRecord
/// `#/components/schemas/WorkflowPage`.
typealias WorkflowPageSchema = WorkflowPage
/// `#/components/schemas/WorkflowDefinition`.
typealias WorkflowDefinitionSchema = DefinitionView
/// `#/components/schemas/Event`.
typealias EventSchema = EventRecord
/// `#/components/schemas/Ready`.
typealias ReadySchema = ReadyView
