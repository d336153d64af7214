extension RedfishClient {
    /// Runs `body` with this client, then closes it (its session ended, never left to time out on the BMC) however
    /// `body` ends: a value, an error or cancellation.
    public nonisolated func closing<T>(_ body: (RedfishClient) async throws -> T) async throws -> T {
        do {
            let result = try await body(self)
            await close()
            return result
        } catch {
            await close()
            throw error
        }
    }
}
