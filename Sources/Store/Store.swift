import Foundation
import Logging
import WorkflowEngine

/// Where HWAutomation keeps what it knows, one narrow protocol per concern (servers, credentials, pools, BIOS
/// backups, audit, event history, tokens, drift checks, workflows), each implemented by the three backends:
/// `SQLiteStore` (the embedded default), `PostgresStore` (several workers sharing a fleet) and `InMemoryStore`
/// (tests, dry runs), every concern of one backend over its one connection pool. Code that needs one concern takes
/// that protocol (`any TokenRepository`); code that needs several takes the whole `Store`.
///
/// Secrets are encrypted before they reach any backend (`SecretBox`); listing never returns them.
public protocol Store: ServerRepository, CredentialRepository, PoolRepository, BIOSBackupRepository, AuditRepository,
    EventHistoryRepository, TokenRepository, DriftRepository, WorkflowRepository
{}
