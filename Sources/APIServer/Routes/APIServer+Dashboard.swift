import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Store
import WorkflowEngine

extension APIServer {
    /// The dashboard: plain HTML, CSS and JavaScript from the target's resources, open (its API calls carry the
    /// token the person enters, kept in the tab's sessionStorage).
    func addDashboard(to groups: RouteGroups) {
        let files = DashboardFiles.load()
        let router = groups.group(.open)
        router.get("/") { _, _ in
            Response(status: .seeOther, headers: [.location: "/dashboard/"])
        }
        // `/dashboard` and `/dashboard/` are one route.
        router.get("/dashboard") { _, _ in
            try files.response("index.html")
        }
        router.get("/dashboard/{file}") { _, context in
            try files.response(try context.parameters.require("file"))
        }
    }
}
