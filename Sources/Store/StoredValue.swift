/// Reading an enumeration (a run's state, an event's kind) back from its stored text.
enum StoredValue {
    /// The value stored as `raw` in `column` of `row`; text this version does not know is an error saying so (a
    /// newer version wrote it, or the database was edited by hand), never a silent default.
    static func decode<Value: RawRepresentable>(_ raw: String, column: String, row: String) throws(StoreError)
        -> Value where Value.RawValue == String
    {
        guard let value = Value(rawValue: raw) else {
            throw StoreError(
                "\(column) of \(row) is stored as `\(raw)`, which this version of HWAutomation does not know "
                    + "(a newer version wrote it, or the database was edited); upgrade, or correct the row")
        }
        return value
    }
}
