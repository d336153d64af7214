extension MAASClient {
    /// Runs `body` with this client, then shuts it down however `body` ends: a value, an error or cancellation.
    public nonisolated func closing<T>(_ body: (MAASClient) async throws -> T) async throws -> T {
        do {
            let result = try await body(self)
            await shutdown()
            return result
        } catch {
            await shutdown()
            throw error
        }
    }
}
