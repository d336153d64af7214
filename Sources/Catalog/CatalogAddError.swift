/// Why `CatalogWriter.add(_:to:)` wrote nothing: the kind (for a front end to pick an exit code or HTTP status) and a
/// sentence naming the directory or file and what to do.
public struct CatalogAddError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Sendable, Hashable {
        /// The name breaks the catalog's naming pattern (`DeviceTypeName.problem(with:)`).
        case invalidName
        /// The catalog already has a type of that name.
        case nameTaken
        /// The directory is not a catalog in our schema (missing, legacy, or without `catalog.yaml`).
        case notACatalog
        /// The catalog has errors already, or would have them with the entry; or it read the entry back differently.
        case invalidResult
        /// A file could not be read or written, or changed while the entry was being added.
        case io
    }

    /// What went wrong.
    public var kind: Kind
    /// What a person reads.
    public var message: String

    /// `message`.
    public var description: String { message }

    /// An error of `kind`.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
}
