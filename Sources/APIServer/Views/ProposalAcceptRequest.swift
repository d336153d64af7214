/// The body of `POST /catalog/proposals/{id}/accept`: the new type's name (default: the proposal's suggested one).
struct ProposalAcceptRequest: Sendable, Hashable, Codable {
    var name: String?
}
