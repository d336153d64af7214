/// Full validation, as `catalog validate` runs it: load diagnostics plus every template parsed.
public enum CatalogValidation {
    /// Every problem in `loaded`, errors first, then by file and line.
    public static func diagnostics(of loaded: LoadedCatalog) -> [CatalogDiagnostic] {
        let all = loaded.diagnostics + CatalogValidator.checkTemplates(loaded.catalog)
        return all.enumerated().sorted { lhs, rhs in
            let (a, b) = (lhs.element, rhs.element)
            if a.severity != b.severity { return a.severity == .error }
            if a.location.file != b.location.file { return a.location.file < b.location.file }
            if (a.location.line ?? 0) != (b.location.line ?? 0) {
                return (a.location.line ?? 0) < (b.location.line ?? 0)
            }
            return lhs.offset < rhs.offset
        }.map(\.element)
    }
}
