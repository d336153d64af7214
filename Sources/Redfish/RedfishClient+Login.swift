import Foundation
import Logging
import Synchronization

extension RedfishClient {
    /// POSTs a login, never twice blindly. The login carries a `Context` unique to it (Session v1.5.0: "a
    /// client-supplied string that is stored with the session", DMTF's Session schema): after a lost answer, the
    /// session that carries it is the lost login's, and is DELETEd (with Basic auth) before a fresh attempt, so none is
    /// left behind — without a read of the sessions before every login. A service that refuses the property (400: an
    /// older one may reject a property it does not know; a refusal creates nothing) is sent the login without it, the
    /// session collection read before as the baseline a lost answer is compared with (`loginComparing`); once that
    /// login is taken, the process remembers the refusal and the service's later logins skip the first attempt.
    func login(_ sessions: String, user: String, password: String) async throws(RedfishError) -> RedfishResponse {
        let collection = "\(origin)\(sessions)"
        if Self.refusingContext.withLock({ $0.contains(collection) }) {
            return try await loginComparing(sessions, user: user, password: password, refusal: nil)
        }
        let context = "hwautomation-" + UUID().uuidString
        do {
            return try await unrepeated(
                "POST", sessions,
                perform: { () async throws(RedfishError) -> RedfishResponse in
                    let login: JSONValue = .object(
                        ["UserName": .string(user), "Password": .string(password), "Context": .string(context)])
                    return try await exchange("POST", sessions, body: login, headers: [:])
                },
                verify: { () async throws(RedfishError) -> ActionOutcome in
                    try await findLostSession(sessions, context: context)
                })
        } catch  where error.status == 400 {
            let response = try await loginComparing(sessions, user: user, password: password, refusal: error)
            // The same login without it was taken: the property was what it refused.
            Self.refusingContext.withLock { _ = $0.insert(collection) }
            return response
        }
    }

    /// Session collections (origin and path) whose service refused a login's `Context` while accepting the login
    /// without it, in this process: their later logins go without it at once.
    private static let refusingContext = Mutex<Set<String>>([])

    /// After a lost login answer: the session carrying `context` is DELETEd and the login may be sent again. When none
    /// carries it, the login created none if the service keeps a login's `Context` (a session shows one, or its
    /// `@odata.type` is Session v1.5.0 or later) or has no session at all; otherwise the outcome is unknown.
    private func findLostSession(_ sessions: String, context: String) async throws(RedfishError) -> ActionOutcome {
        let basic = authHeaders()
        var keepsContext = false
        let members = try await sessionMembers(sessions, headers: basic).sorted()
        for member in members {
            let session = try await exchangeWithRetry("GET", member, body: nil, headers: basic).body
            if session["Context"].string == context {
                try await deleteOrphan(member, headers: basic)
                return .notActed
            }
            keepsContext =
                keepsContext || session["Context"].string != nil
                || Self.keepsContext(sessionType: session["@odata.type"].string)
        }
        guard keepsContext || members.isEmpty else {
            return .unknown("the BMC's sessions do not show the Context a login carries (Session older than v1.5.0)")
        }
        return .notActed
    }

    /// Whether a Session `@odata.type` (`#Session.v1_8_0.Session`) is v1.5.0 or later, the version with `Context`.
    static func keepsContext(sessionType: String?) -> Bool {
        guard let type = sessionType, let version = type.split(separator: ".").first(where: { $0.hasPrefix("v") })
        else { return false }
        let numbers = version.dropFirst().split(separator: "_").compactMap { Int($0) }
        guard numbers.count >= 2 else { return false }
        return numbers[0] > 1 || (numbers[0] == 1 && numbers[1] >= 5)
    }

    /// The login without `Context` (after `refusal`, or once its service refused one): the session collection (read with Basic auth) is read first; after a lost answer
    /// it is read again, and a session that appeared is the lost login's, DELETEd before a fresh attempt. When the
    /// collection cannot be read, the outcome is unknown.
    private func loginComparing(_ sessions: String, user: String, password: String, refusal: RedfishError?)
        async throws(RedfishError) -> RedfishResponse
    {
        if let refusal {
            logger.debug(
                "the login with a Context was refused; logging in without it",
                metadata: ["bmc": "\(endpoint.host)", "error": "\(refusal.message)"])
        }
        let credentials: JSONValue = .object(["UserName": .string(user), "Password": .string(password)])
        let basic = authHeaders()
        let before = try? await sessionMembers(sessions, headers: basic)
        return try await unrepeated(
            "POST", sessions,
            perform: { () async throws(RedfishError) -> RedfishResponse in
                try await exchange("POST", sessions, body: credentials, headers: [:])
            },
            verify: { () async throws(RedfishError) -> ActionOutcome in
                guard let before else {
                    return .unknown("the session collection could not be read (with Basic auth) before the login")
                }
                let appeared = try await sessionMembers(sessions, headers: basic).subtracting(before)
                guard let orphan = appeared.first else { return .notActed }
                guard appeared.count == 1 else {
                    return .unknown("\(appeared.count) sessions appeared meanwhile; the lost one cannot be told apart")
                }
                try await deleteOrphan(orphan, headers: basic)
                return .notActed
            })
    }

    /// Ends the session a lost login created: its token never arrived.
    private func deleteOrphan(_ orphan: String, headers: [String: String]) async throws(RedfishError) {
        _ = try await exchangeWithRetry("DELETE", orphan, body: nil, headers: headers)
        counts.sessionsCreated += 1
        counts.sessionsDeleted += 1
        logger.info(
            "a login's answer was lost; the session it created was deleted",
            metadata: ["bmc": "\(endpoint.host)", "session": "\(orphan)"])
    }

    /// Some services (Supermicro X10/X11 firmware, OpenBMC builds behind a proxy that drops the header) answer the
    /// login with 2xx and no `X-Auth-Token`: the session, if one was made, cannot be used, so requests go on with
    /// Basic auth. The login is not sent again (`unrepeated` already sent it once); a session the answer names
    /// (`Location` or `@odata.id`) is DELETEd with Basic auth so that it does not hold one of the BMC's slots.
    func abandonTokenlessSession(_ response: RedfishResponse, sessions: String) async {
        logger.info(
            "the BMC answered the login without an X-Auth-Token; using Basic auth",
            metadata: ["bmc": "\(endpoint.host)"])
        guard let created = response.location ?? response.body["@odata.id"].string,
            created.trimmingCharacters(in: ["/"]) != sessions.trimmingCharacters(in: ["/"])
        else { return }
        if (try? await exchangeWithRetry("DELETE", created, body: nil, headers: authHeaders())) != nil {
            counts.sessionsDeleted += 1
        }
    }

    /// The `@odata.id`s of the session collection's members.
    private func sessionMembers(_ sessions: String, headers: [String: String]) async throws(RedfishError)
        -> Set<String>
    {
        let collection = try await exchangeWithRetry("GET", sessions, body: nil, headers: headers)
        return Set(collection.body["Members"].array.compactMap { $0["@odata.id"].string })
    }
}
